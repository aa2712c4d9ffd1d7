import KuandoHub
import Testing

@Suite struct HubReachabilityTests {
    private let down = HubError.unreachable(url: "http://h:8989/", reason: "refused")

    @Test func reportsOnlyChangesOfState() {
        var link = HubReachability()
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
        var link = HubReachability()
        #expect(link.failed(down) == .becameUnreachable(down))
        #expect(link.failed(down) == nil)
    }
}
