/// A token bucket as a plain value: ``burst`` events at once, then one more every ``interval``.
///
/// ```swift
/// var limit = RateLimit(burst: 2, interval: .seconds(1))
/// limit.take(now: .zero)             // true
/// limit.take(now: .zero)             // true
/// limit.take(now: .zero)             // false: wait a second
/// limit.take(now: .seconds(1))       // true
/// ```
struct RateLimit: Sendable, Equatable {
    let burst: Int
    let interval: Duration
    private var tokens: Double
    private var updated: Duration?

    init(burst: Int, interval: Duration) {
        self.burst = max(burst, 1)
        self.interval = interval
        self.tokens = Double(self.burst)
    }

    /// Takes one token if there is one; false when the event is over the limit.
    mutating func take(now: Duration) -> Bool {
        if let updated, now > updated {
            tokens = min(Double(burst), tokens + (now - updated) / interval)
        }
        updated = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
