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
    /// Refuse logins without `info`: the PBX always sends it, for its own login and for the
    /// users' (the licence flags live there), so a login without it is not the PBX's making.
    public var requiresInfo: Bool
    /// Called once, in order with the frame handlers, after a login was accepted.
    public var onLogin: (@Sendable (AppLogin, AppWebsocketConnection) async -> Void)?

    public init(
        challenges: ChallengeBook, passwords: [String], domain: String? = nil, requiresInfo: Bool = false,
        onLogin: (@Sendable (AppLogin, AppWebsocketConnection) async -> Void)? = nil
    ) {
        self.challenges = challenges
        self.passwords = passwords
        self.domain = domain
        self.requiresInfo = requiresInfo
        self.onLogin = onLogin
    }

    /// Why `login` is refused before its digest is even checked, nil when it may be checked.
    ///
    /// The digest joins `app:domain:sip:guid:dn:info:…` with `:`, so a `:` inside `app`, `sip`,
    /// `guid` or `dn` could move text from one field into another (`info` into `dn`, say, to drop
    /// the licence flags) and still verify: such logins are refused.
    public func problem(with login: AppLogin) -> String? {
        for (name, value) in [("app", login.app), ("sip", login.sip), ("guid", login.guid), ("dn", login.dn)] where value.contains(":") {
            return "AppLogin refused: \"\(name)\" contains \":\", which the digest uses to join the fields"
        }
        if requiresInfo, login.infoText == nil {
            return "AppLogin refused: it carries no \"info\"; logins come from the PBX, which always sends it"
        }
        return nil
    }
}
