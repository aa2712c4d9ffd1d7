import Logging
import Synchronization

/// The service's ``LoginThrottle``, shared by every connection: admits or refuses a peer address
/// before its login and counts its failed logins, logging once when an address gets refused
/// (not once per try).
public final class PeerLoginLimiter: Sendable {
    private let throttle: Mutex<LoginThrottle>
    private let elapsed: @Sendable () -> Duration
    private let logger: Logger

    public init<C: Clock>(throttle: LoginThrottle = LoginThrottle(), clock: C = ContinuousClock(), logger: Logger) where C.Duration == Duration {
        let start = clock.now
        self.throttle = Mutex(throttle)
        self.elapsed = { start.duration(to: clock.now) }
        self.logger = logger
    }

    /// Whether `peer` may try a login now.
    public func admit(_ peer: String) -> LoginThrottle.Decision {
        let now = elapsed()
        return throttle.withLock { $0.admit(peer, now: now) }
    }

    /// Counts a failed login of `peer`.
    public func failed(_ peer: String) {
        let now = elapsed()
        let (blocked, interval) = throttle.withLock { ($0.recordFailure(peer, now: now), $0.refillInterval) }
        if blocked {
            logger.warning(
                "too many failed logins from one address: its connections are refused until its attempts come back (one every \(interval.components.seconds) s); check the App object passwords, or look for a password guesser",
                metadata: ["peer": "\(peer)"])
        }
    }
}
