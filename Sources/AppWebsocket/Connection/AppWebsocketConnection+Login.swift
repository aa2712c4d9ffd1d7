extension AppWebsocketConnection {
    /// Logs in as a client: `AppChallenge`, then the login `sign` builds for the challenge, then
    /// waits for `AppLoginResult`. Requires ``run()`` to be reading.
    ///
    /// Both requests go without `src`, as the PBX and innovaphone's client library send them.
    ///
    /// - Parameters:
    ///   - sign: makes the signed `AppLogin` for a challenge, e.g. with
    ///     ``LoginDigest/sign(app:domain:sip:guid:dn:pbxObj:info:challenge:password:)``.
    ///   - keyOrder: the order of the login's members after `mt` (a PBX writes
    ///     ``AppLogin/pbxKeyOrder``); members it does not name follow in their usual order.
    /// - Returns: the result; check ``AppLoginResult/ok`` (a refusing service also closes).
    public func login(timeout: Duration? = nil, keyOrder: [String] = [], _ sign: @Sendable (String) async throws -> AppLogin) async throws -> AppLoginResult {
        let challengeFrame = try await request(Frame(AppChallenge()), timeout: timeout, withoutSrc: true)
        let challenge = try challengeFrame.decode(AppChallengeResult.self).challenge
        let login = try await sign(challenge)
        let fields = login.fields
        let ordered = JSONObject(
            keyOrder.compactMap { key in fields[key].map { (key, $0) } } + fields.members.filter { !keyOrder.contains($0.key) }.map { ($0.key, $0.value) })
        let resultFrame = try await request(Frame(mt: AppLogin.messageType, fields: ordered), timeout: timeout, withoutSrc: true)
        let result = try resultFrame.decode(AppLoginResult.self)
        if result.ok { acceptClientLogin(login) }
        return result
    }

    /// Answers the server side of the handshake; true when the frame was a handshake frame.
    func answerHandshake(_ frame: Frame, policy: ServerLogin) async -> Bool {
        switch frame.mt {
        case AppChallenge.messageType:
            let challenge = policy.challenges.issue()
            rememberChallenge(challenge)
            try? await send(AppChallengeResult(challenge: challenge), src: frame.src)
            return true
        case AppLogin.messageType:
            await verifyLogin(frame, policy: policy)
            return true
        case AppCheckLogin.messageType:
            await answerCheckLogin(frame, policy: policy)
            return true
        case CheckBuild.messageType:
            if let check = try? frame.decode(CheckBuild.self) { try? await send(CheckBuildResult(url: check.url), src: frame.src) }
            return true
        default:
            return false
        }
    }

    private func verifyLogin(_ frame: Frame, policy: ServerLogin) async {
        if login != nil {
            // The session stands; a second login on it would change who the connection is.
            notifyLoginRefused("a second AppLogin on a logged-in connection")
            try? await send(AppLoginResult(ok: false, errorText: "this connection is logged in already: open a new connection to log in again"), src: frame.src)
            return
        }
        guard let challenge = takeChallenge() else {
            return await refuseLogin(frame, "no challenge issued on this connection: send AppChallenge before AppLogin")
        }
        do {
            try policy.challenges.redeem(challenge)
        } catch {
            return await refuseLogin(frame, error.description)
        }
        let login: AppLogin
        do {
            login = try frame.decode(AppLogin.self)
        } catch {
            return await refuseLogin(frame, error.description)
        }
        if let problem = policy.problem(with: login) {
            return await refuseLogin(frame, problem)
        }
        guard let password = policy.passwords.first(where: { LoginDigest.verify(login, challenge: challenge, password: $0) }) else {
            return await refuseLogin(frame, "digest does not match: the App object's password differs from the instance password")
        }
        acceptServerLogin(login, key: SessionKey(challenge: challenge, password: password))
        try? await send(AppLoginResult(ok: true, domain: policy.domain), src: frame.src)
        if let onLogin = policy.onLogin {
            enqueueLoginCallback { connection in await onLogin(login, connection) }
        }
    }

    /// A PBX Manager plugin tests an App object's password (``AppCheckLogin``); answered before
    /// or without a login, as the SDK's library does. A wrong password counts as a failed login.
    private func answerCheckLogin(_ frame: Frame, policy: ServerLogin) async {
        guard let check = try? frame.decode(AppCheckLogin.self) else {
            try? await send(AppCheckLoginResult(ok: false), src: frame.src)
            return
        }
        let ok = policy.passwords.contains { check.verify(password: $0, serviceDomain: policy.domain) }
        if !ok { notifyLoginRefused("AppCheckLogin for \(check.app): the App object's password differs from the instance password") }
        try? await send(AppCheckLoginResult(ok: ok), src: frame.src)
    }

    private func refuseLogin(_ frame: Frame, _ why: String) async {
        notifyLoginRefused(why)
        try? await send(AppLoginResult(ok: false, errorText: why), src: frame.src)
        await close(.loginRefused(why))
    }
}
