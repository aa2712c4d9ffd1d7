import Testing
@testable import ConnectorService

/// The failed-login buckets as a plain value: no sockets, time passed in.
@Suite struct LoginThrottleTests {
    @Test func aPeerGetsItsBurstOfFailuresThenIsRefusedUntilAnAttemptComesBack() {
        var throttle = LoginThrottle(capacity: 3, refillInterval: .seconds(10))
        let step1 = throttle.admit("10.0.0.9", now: .zero)
        #expect(step1 == .allowed)
        let step2 = throttle.recordFailure("10.0.0.9", now: .zero)
        #expect(step2 == false)
        let step3 = throttle.recordFailure("10.0.0.9", now: .zero)
        #expect(step3 == false)
        let step4 = throttle.admit("10.0.0.9", now: .zero)
        #expect(step4 == .allowed)
        let step5 = throttle.recordFailure("10.0.0.9", now: .zero)
        #expect(step5 == true, "the last attempt used: log it now")
        let step6 = throttle.admit("10.0.0.9", now: .seconds(4))
        #expect(step6 == .refused(retryAfter: .seconds(6)))
        let step7 = throttle.admit("10.0.0.9", now: .seconds(10))
        #expect(step7 == .allowed)
        let step8 = throttle.recordFailure("10.0.0.9", now: .seconds(10))
        #expect(step8 == true, "blocked again: a new window, a new line")
        let step9 = throttle.recordFailure("10.0.0.9", now: .seconds(11))
        #expect(step9 == false, "still blocked: no new line")
        let step10 = throttle.admit("10.0.0.9", now: .seconds(11))
        #expect(step10 == .refused(retryAfter: .seconds(10)))
    }

    @Test func peersAreCountedApartAndSuccessfulLoginsCostNothing() {
        var throttle = LoginThrottle(capacity: 1, refillInterval: .seconds(60))
        let step11 = throttle.recordFailure("10.0.0.1", now: .zero)
        #expect(step11)
        let step12 = throttle.admit("10.0.0.1", now: .zero)
        #expect(step12 != .allowed)
        let step13 = throttle.admit("10.0.0.2", now: .zero)
        #expect(step13 == .allowed)
        #expect(throttle.trackedPeers == 1, "admitting a peer stores nothing")
    }

    @Test func aFullBucketRefillsNoFurtherThanItsCapacity() {
        var throttle = LoginThrottle(capacity: 2, refillInterval: .seconds(1))
        throttle.recordFailure("p", now: .zero)
        // A day later the peer has its 2 attempts back, not 86,400.
        let step14 = throttle.recordFailure("p", now: .seconds(86_400))
        #expect(step14 == false)
        let step15 = throttle.recordFailure("p", now: .seconds(86_400))
        #expect(step15 == true)
    }

    @Test func memoryIsBoundedByTheNumberOfTrackedPeers() {
        var throttle = LoginThrottle(capacity: 2, refillInterval: .seconds(60), maximumPeers: 100)
        for index in 0..<10_000 {
            throttle.recordFailure("10.\(index / 65536).\(index / 256 % 256).\(index % 256)", now: .milliseconds(index))
        }
        #expect(throttle.trackedPeers <= 100)
        // The newest guesser is still tracked; the quietest were forgotten first.
        let step16 = throttle.recordFailure("10.0.39.15", now: .seconds(10))
        #expect(step16 == true)
    }
}
