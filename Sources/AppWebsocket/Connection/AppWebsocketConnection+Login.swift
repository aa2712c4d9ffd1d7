extension AppWebsocketConnection {
    /// Logs in as a client: `AppChallenge`, then the login `sign` builds for the challenge, then
    /// waits for `AppLoginResult`. Requires ``run()`` to be reading.
    ///
    /// - Parameter sign: makes the signed `AppLogin` for a challenge, e.g. with
    ///   ``LoginDigest/sign(app:domain:sip:guid:dn:pbxObj:info:challenge:password:)``.
    /// - Returns: the result; check ``AppLoginResult/ok`` (a refusing service also closes).
    public func login(timeout: Duration? = nil, _ sign: @Sendable (String) async throws -> AppLogin) async throws -> AppLoginResult {
        let challengeFrame = try await request(Frame(AppChallenge()), timeout: timeout, matchingWithoutSrc: true)
        let challenge = try challengeFrame.decode(AppChallengeResult.self).challenge
        let login = try await sign(challenge)
        let resultFrame = try await request(Frame(login), timeout: timeout, matchingWithoutSrc: true)
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
        case CheckBuild.messageType:
            if let check = try? frame.decode(CheckBuild.self) { try? await send(CheckBuildResult(url: check.url), src: frame.src) }
            return true
        default:
            return false
        }
    }

    private func verifyLogin(_ frame: Frame, policy: ServerLogin) async {
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
        guard let password = policy.passwords.first(where: { LoginDigest.verify(login, challenge: challenge, password: $0) }) else {
            return await refuseLogin(frame, "digest does not match: the App object's password differs from the instance password")
        }
        acceptServerLogin(login, key: SessionKey(challenge: challenge, password: password))
        try? await send(AppLoginResult(ok: true, domain: policy.domain), src: frame.src)
        if let onLogin = policy.onLogin {
            enqueueLoginCallback { connection in await onLogin(login, connection) }
        }
    }

    private func refuseLogin(_ frame: Frame, _ why: String) async {
        notifyLoginRefused(why)
        try? await send(AppLoginResult(ok: false, errorText: why), src: frame.src)
        await close(.loginRefused(why))
    }
}
