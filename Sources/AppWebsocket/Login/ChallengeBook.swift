import Synchronization

/// The challenges a service has handed out: random, each usable once, each for a limited time.
///
/// Safe to share between connections. The clock is injected so expiry can be tested without
/// waiting. Bounded: at most ``capacity`` challenges wait for a login (and as many used ones
/// are remembered against replays); past that the oldest is forgotten, so a flood of
/// `AppChallenge`s from many connections costs a fixed amount of memory, and a real login,
/// which follows its challenge within milliseconds, still finds its own.
///
/// ```swift
/// let book = ChallengeBook(lifetime: .seconds(60))
/// let challenge = book.issue()          // "3f9c0a1b7d2e4f60"
/// try book.redeem(challenge)            // ok
/// try book.redeem(challenge)            // throws .alreadyUsed
/// ```
public final class ChallengeBook: Sendable {
    /// Why a challenge cannot be used.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// This service never issued it (or forgot it after it expired and was used).
        case unknown
        /// It was used by an earlier login: a replay.
        case alreadyUsed
        /// It is older than the book's lifetime.
        case expired

        public var description: String {
            switch self {
            case .unknown: "challenge unknown: this service did not issue it; ask for a new one with AppChallenge"
            case .alreadyUsed: "challenge already used: each challenge serves one login; ask for a new one with AppChallenge"
            case .expired: "challenge expired; ask for a new one with AppChallenge and log in at once"
            }
        }
    }

    /// Characters of a challenge: 16, lowercase hex (single-byte printable, as the protocol asks).
    public static let length = 16

    private struct State {
        var issued: [String: Duration] = [:]
        var used: [String: Duration] = [:]
        var issuesSinceSweep = 0
    }

    public let lifetime: Duration
    /// The most challenges kept waiting for a login (and the most used ones kept).
    public let capacity: Int
    private let elapsed: @Sendable () -> Duration
    private let state = Mutex(State())

    /// - Parameters:
    ///   - lifetime: how long a challenge may wait for its login.
    ///   - capacity: the most challenges kept at once.
    ///   - clock: the clock expiry is measured on.
    public init<C: Clock>(lifetime: Duration = .seconds(60), capacity: Int = 10_000, clock: C = ContinuousClock()) where C.Duration == Duration {
        let start = clock.now
        self.lifetime = lifetime
        self.capacity = max(capacity, 1)
        self.elapsed = { start.duration(to: clock.now) }
    }

    /// A fresh random challenge, remembered as issued.
    public func issue() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        let challenge = String((0..<Self.length).map { _ in hex[Int(generator.next(upperBound: UInt8(16)))] })
        let now = elapsed()
        let capacity = self.capacity
        state.withLock { state in
            state.issuesSinceSweep += 1
            if state.issued.count >= capacity || state.issuesSinceSweep >= 256 {
                state.issuesSinceSweep = 0
                Self.forgetOld(&state, now: now, lifetime: lifetime)
            }
            Self.trim(&state.issued, to: capacity - 1)
            state.issued[challenge] = now
        }
        return challenge
    }

    /// Uses up a challenge.
    ///
    /// - Throws: ``Refusal`` when the challenge was not issued here, was used before, or expired.
    public func redeem(_ challenge: String) throws(Refusal) {
        let now = elapsed()
        let capacity = self.capacity
        let refusal: Refusal? = state.withLock { state in
            if state.used[challenge] != nil { return .alreadyUsed }
            guard let issuedAt = state.issued.removeValue(forKey: challenge) else { return .unknown }
            guard now - issuedAt <= lifetime else { return .expired }
            Self.trim(&state.used, to: capacity - 1)
            state.used[challenge] = issuedAt
            return nil
        }
        if let refusal { throw refusal }
    }

    /// How many challenges wait for a login.
    public var outstanding: Int { state.withLock { $0.issued.count } }

    /// Forgets the oldest entries until at most `count` are left (only reached under a flood).
    private static func trim(_ entries: inout [String: Duration], to count: Int) {
        while entries.count > count, let oldest = entries.min(by: { $0.value < $1.value }) {
            entries[oldest.key] = nil
        }
    }

    /// Drops expired entries, keeping used ones a second lifetime so replays still read as replays.
    private static func forgetOld(_ state: inout State, now: Duration, lifetime: Duration) {
        state.used = state.used.filter { now - $0.value <= lifetime * 2 }
        state.issued = state.issued.filter { now - $0.value <= lifetime * 2 }
    }
}
