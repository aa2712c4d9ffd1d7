/// Capped exponential backoff with jitter, as a plain value: the delay before each retry of
/// something that did not answer (a hub, the config database).
///
/// The n-th delay (n from 0) is `min(initial·2ⁿ, maximum)` scaled by a random factor in
/// [0.5, 1), so clients that lost the same hub do not retry in step. With the defaults the
/// ceilings run 1, 2, 4, 8, 16, 32, 60, 60 … seconds.
///
/// ```swift
/// var backoff = Backoff()
/// try await clock.sleep(for: backoff.nextDelay())   // 0.5–1 s
/// backoff.reset()                                   // after a success
/// ```
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    /// Retries so far since the last reset.
    public private(set) var attempt = 0
    private var random: any RandomNumberGenerator & Sendable

    public init(
        initial: Duration = .seconds(1), maximum: Duration = .seconds(60),
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.initial = initial
        self.maximum = maximum
        self.random = random
    }

    /// The ceiling of the delay for retry number `attempt` (from 0), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        var delay = initial
        for _ in 0..<attempt {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    /// The delay before the next retry; each call moves one step up the schedule.
    public mutating func nextDelay() -> Duration {
        let ceiling = ceiling(attempt: attempt)
        attempt += 1
        // 52 random bits give a uniform fraction in [0, 1) that keeps the factor below 1 exactly.
        let fraction = Double(random.next() >> 12) / Double(UInt64(1) << 52)
        return ceiling * (0.5 + fraction / 2)
    }

    /// Back to the first step, after an answer.
    public mutating func reset() {
        attempt = 0
    }
}
