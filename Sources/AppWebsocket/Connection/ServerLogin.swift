/// How a service checks logins on its side of a connection (flows B and C).
///
/// The connection answers `AppChallenge` with a challenge from ``challenges``, and `AppLogin`
/// with `AppLoginResult{ok:true}` only when the digest matches one of ``passwords`` for that
/// challenge, which is then used up. A refused login is answered without `ok` and the socket
/// is closed.
public struct ServerLogin: Sendable {
    public var challenges: ChallengeBook
    /// The instance password first, then any per-domain password.
    public var passwords: [String]
    /// The instance domain, sent in `AppLoginResult.domain`.
    public var domain: String?
    /// Called once, in order with the frame handlers, after a login was accepted.
    public var onLogin: (@Sendable (AppLogin, AppWebsocketConnection) async -> Void)?

    public init(
        challenges: ChallengeBook, passwords: [String], domain: String? = nil,
        onLogin: (@Sendable (AppLogin, AppWebsocketConnection) async -> Void)? = nil
    ) {
        self.challenges = challenges
        self.passwords = passwords
        self.domain = domain
        self.onLogin = onLogin
    }
}
