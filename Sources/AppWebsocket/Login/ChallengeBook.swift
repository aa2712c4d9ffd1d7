import Synchronization

/// The challenges a service has handed out: random, each usable once, each for a limited time.
///
/// Safe to share between connections. The clock is injected so expiry can be tested without
/// waiting.
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
    }

    public let lifetime: Duration
    private let elapsed: @Sendable () -> Duration
    private let state = Mutex(State())

    /// - Parameters:
    ///   - lifetime: how long a challenge may wait for its login.
    ///   - clock: the clock expiry is measured on.
    public init<C: Clock>(lifetime: Duration = .seconds(60), clock: C = ContinuousClock()) where C.Duration == Duration {
        let start = clock.now
        self.lifetime = lifetime
        self.elapsed = { start.duration(to: clock.now) }
    }

    /// A fresh random challenge, remembered as issued.
    public func issue() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        let challenge = String((0..<Self.length).map { _ in hex[Int(generator.next(upperBound: UInt8(16)))] })
        let now = elapsed()
        state.withLock { state in
            Self.forgetOld(&state, now: now, lifetime: lifetime)
            state.issued[challenge] = now
        }
        return challenge
    }

    /// Uses up a challenge.
    ///
    /// - Throws: ``Refusal`` when the challenge was not issued here, was used before, or expired.
    public func redeem(_ challenge: String) throws(Refusal) {
        let now = elapsed()
        let refusal: Refusal? = state.withLock { state in
            Self.forgetOld(&state, now: now, lifetime: lifetime)
            if state.used[challenge] != nil { return .alreadyUsed }
            guard let issuedAt = state.issued.removeValue(forKey: challenge) else { return .unknown }
            guard now - issuedAt <= lifetime else { return .expired }
            state.used[challenge] = issuedAt
            return nil
        }
        if let refusal { throw refusal }
    }

    /// Drops expired entries, keeping used ones a second lifetime so replays still read as replays.
    private static func forgetOld(_ state: inout State, now: Duration, lifetime: Duration) {
        state.used = state.used.filter { now - $0.value <= lifetime * 2 }
        state.issued = state.issued.filter { now - $0.value <= lifetime * 2 }
    }
}
