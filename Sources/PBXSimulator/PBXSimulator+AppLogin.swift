import AppWebsocket

extension PBXSimulator {
    /// Brokers a myApps login (flow C): for `user` and an app (its App object's name, or its
    /// page name as an app asks when myApps gave it no name), the fields the app logs in with,
    /// signed with the instance password.
    ///
    /// Shaped as captured from a 13r3 PBX: `info` is `appobj, appdn, appurl, pbx, cn,
    /// unlicensed|testmode, groups, apps`, and `pbxObj` names the App object, so a receiver
    /// cannot tell a user from the PBX by `info.pbx`.
    ///
    /// - Throws: ``PBXSimulatorError`` for an unknown user or app.
    public func appLogin(user sip: String, app name: String, challenge: String) throws -> AppGetLoginResult {
        guard let user = state.users[sip] else { throw PBXSimulatorError.unknownUser(sip) }
        guard let object = configuration.appObjects.first(where: { $0.sip == name }) ?? configuration.appObjects.first(where: { $0.app == name }) else {
            throw PBXSimulatorError.unknownAppObject(name)
        }
        var info: JSONObject = [
            "appobj": .string(object.sip), "appdn": .string(object.dn), "appurl": .string(object.url), "pbx": .string(configuration.pbxName),
            "cn": .string(user.cn),
        ]
        if configuration.testMode {
            info["testmode"] = true
        } else if !user.licensed {
            info["unlicensed"] = true
        }
        info["groups"] = .array(user.groups.map(JSONValue.string))
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
