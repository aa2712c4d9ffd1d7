import KuandoHub
import Testing
import TestSupport

@Suite struct HubBackoffTests {
    @Test func ceilingsDoubleFromOneSecondAndStopAtSixty() {
        let backoff = HubBackoff()
        #expect((0..<9).map { backoff.ceiling(attempt: $0) } == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    @Test func jitterKeepsEachDelayBetweenHalfAndAllOfItsCeiling() {
        var low = HubBackoff(random: ConstantRandom(value: 0))
        #expect((0..<8).map { _ in low.nextDelay() } == [0.5, 1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        var high = HubBackoff(random: ConstantRandom(value: .max))
        for ceiling in [1, 2, 4, 8, 16, 32, 60, 60] {
            let delay = high.nextDelay()
            #expect(delay < .seconds(ceiling) && delay > .seconds(ceiling) - .milliseconds(1))
        }
    }

    @Test func resetStartsTheScheduleAgain() {
        var backoff = HubBackoff(random: ConstantRandom(value: 0))
        _ = backoff.nextDelay()
        _ = backoff.nextDelay()
        backoff.reset()
        #expect(backoff.attempt == 0)
        #expect(backoff.nextDelay() == .milliseconds(500))
    }
}

@Suite struct HubLinkStateTests {
    private let down = HubError.unreachable(url: "http://h:8989/", reason: "refused")

    @Test func reportsOnlyChangesOfState() {
        var link = HubLinkState()
        #expect(link.answered() == .becameReachable(failedAttempts: 0))
        #expect(link.answered() == nil)
        #expect(link.failed(down) == .becameUnreachable(down))
        #expect(link.failed(down) == nil)
        #expect(link.failed(down) == nil)
        #expect(link.status == .unreachable)
        #expect(link.answered() == .becameReachable(failedAttempts: 3))
        #expect(link.answered() == nil)
        #expect(link.status == .reachable)
    }

    @Test func aHubThatNeverAnsweredIsReportedOnce() {
        var link = HubLinkState()
        #expect(link.failed(down) == .becameUnreachable(down))
        #expect(link.failed(down) == nil)
    }
}
