import AppWebsocket

extension PBXSimulator {
    /// Brokers a myApps login (flow C): for `user` and an app (its htm name or its App object's
    /// name), the fields the app logs in with, signed with the instance password.
    ///
    /// - Throws: ``PBXSimulatorError`` for an unknown user or app.
    public func appLogin(user sip: String, app name: String, challenge: String) throws -> AppGetLoginResult {
        guard let user = state.users[sip] else { throw PBXSimulatorError.unknownUser(sip) }
        guard let object = configuration.appObjects.first(where: { $0.app == name || $0.sip == name }) else {
            throw PBXSimulatorError.unknownAppObject(name)
        }
        var info: JSONObject = ["appobj": .string(object.sip), "appdn": .string(object.dn), "appurl": .string(object.url), "cn": .string(user.cn)]
        if !user.licensed && !configuration.testMode { info["unlicensed"] = true }
        info["apps"] = .array(configuration.appObjects.map { ["name": .string($0.sip), "dn": .string($0.dn)] })
        let login = LoginDigest.sign(
            app: object.app, domain: configuration.domain, sip: user.sip, guid: user.guid, dn: user.dn, pbxObj: object.sip, info: info,
            challenge: challenge, password: configuration.password
        )
        return AppGetLoginResult(
            domain: login.domain, sip: login.sip, guid: login.guid, dn: login.dn, pbxObj: object.sip, app: object.app, info: info,
            digest: login.digest, key: SessionKey(challenge: challenge, password: configuration.password).hex
        )
    }
}
