import Testing
import TestSupport
import Timing

@Suite struct BackoffTests {
    @Test func ceilingsDoubleFromOneSecondAndStopAtSixty() {
        let backoff = Backoff()
        #expect((0..<9).map { backoff.ceiling(attempt: $0) } == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    @Test func jitterKeepsEachDelayBetweenHalfAndAllOfItsCeiling() {
        var low = Backoff(random: ConstantRandom(value: 0))
        #expect((0..<8).map { _ in low.nextDelay() } == [0.5, 1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        var high = Backoff(random: ConstantRandom(value: .max))
        for ceiling in [1, 2, 4, 8, 16, 32, 60, 60] {
            let delay = high.nextDelay()
            #expect(delay < .seconds(ceiling) && delay > .seconds(ceiling) - .milliseconds(1))
        }
    }

    @Test func resetStartsTheScheduleAgain() {
        var backoff = Backoff(random: ConstantRandom(value: 0))
        _ = backoff.nextDelay()
        _ = backoff.nextDelay()
        backoff.reset()
        #expect(backoff.attempt == 0)
        #expect(backoff.nextDelay() == .milliseconds(500))
    }
}
