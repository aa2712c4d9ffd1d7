/// Failed logins per peer address, as token buckets: a plain value that decides, with no I/O,
/// whether a peer may try to log in and when it has failed too often.
///
/// Each address starts with ``capacity`` tokens; a failed login takes one, and one comes back
/// every ``refillInterval``. An address without a whole token is refused until the next one
/// comes back. A wrong password from a PBX or a browser is a handful of failures; a password
/// guesser gets ``capacity`` tries and then one per ``refillInterval``. Successful logins cost
/// nothing, so users behind one NAT address do not lock each other out.
///
/// Memory stays bounded: at most ``maximumPeers`` addresses are tracked; beyond that, addresses
/// whose bucket is full again are forgotten first, then the longest quiet ones.
///
/// ```swift
/// var throttle = LoginThrottle(capacity: 2, refillInterval: .seconds(10))
/// throttle.admit("10.0.0.9", now: .zero)               // .allowed
/// throttle.recordFailure("10.0.0.9", now: .zero)       // false
/// throttle.recordFailure("10.0.0.9", now: .zero)       // true: blocked now, log it once
/// throttle.admit("10.0.0.9", now: .seconds(1))         // .refused(retryAfter: .seconds(9))
/// ```
public struct LoginThrottle: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case allowed
        /// No login attempt left; the next one comes back after `retryAfter`.
        case refused(retryAfter: Duration)
    }

    private struct Bucket: Equatable {
        var tokens: Double
        var updated: Duration
    }

    public let capacity: Int
    public let refillInterval: Duration
    public let maximumPeers: Int
    private var buckets: [String: Bucket] = [:]

    public init(capacity: Int = 5, refillInterval: Duration = .seconds(12), maximumPeers: Int = 10_000) {
        self.capacity = max(capacity, 1)
        self.refillInterval = refillInterval
        self.maximumPeers = max(maximumPeers, 1)
    }

    /// How many addresses are tracked now.
    public var trackedPeers: Int { buckets.count }

    /// Whether `peer` may try a login now.
    public mutating func admit(_ peer: String, now: Duration) -> Decision {
        guard var bucket = buckets[peer] else { return .allowed }
        refill(&bucket, now: now)
        buckets[peer] = bucket
        guard bucket.tokens < 1 else { return .allowed }
        return .refused(retryAfter: refillInterval * (1 - bucket.tokens))
    }

    /// Records a failed login of `peer`; true when this failure used its last attempt (the
    /// moment to log, once, that the address is refused from now on).
    @discardableResult
    public mutating func recordFailure(_ peer: String, now: Duration) -> Bool {
        var bucket = buckets[peer] ?? Bucket(tokens: Double(capacity), updated: now)
        refill(&bucket, now: now)
        let hadAttempt = bucket.tokens >= 1
        bucket.tokens = max(bucket.tokens - 1, 0)
        if buckets[peer] == nil { makeRoom(now: now) }
        buckets[peer] = bucket
        return hadAttempt && bucket.tokens < 1
    }

    private func refill(_ bucket: inout Bucket, now: Duration) {
        guard now > bucket.updated else { return }
        let earned = (now - bucket.updated) / refillInterval
        bucket.tokens = min(Double(capacity), bucket.tokens + earned)
        bucket.updated = now
    }

    private mutating func makeRoom(now: Duration) {
        guard buckets.count >= maximumPeers else { return }
        let capacity = Double(self.capacity)
        let refillInterval = self.refillInterval
        buckets = buckets.filter { _, bucket in
            bucket.tokens + (now - bucket.updated) / refillInterval < capacity
        }
        while buckets.count >= maximumPeers, let quietest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
            buckets[quietest] = nil
        }
    }
}
