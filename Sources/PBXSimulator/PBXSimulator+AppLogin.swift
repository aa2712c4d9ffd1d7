import AppWebsocket

/// The fields of a myApps `AppGetLoginResult` (flow C): what the PBX hands a user's app so it
/// can log in to its App Service.
public struct AppGetLoginResult: Sendable, Equatable {
    public var domain: String
    public var sip: String
    public var guid: String
    public var dn: String
    /// The App object's name.
    public var pbxObj: String
    /// The htm name of the app.
    public var app: String
    /// `{appobj, appdn, appurl, cn, unlicensed?, apps}`.
    public var info: JSONObject
    public var digest: String
    /// The session key (hex) the app keeps.
    public var key: String

    /// The `AppLogin` the app sends to the service, `info` byte for byte as hashed.
    public var appLogin: AppLogin {
        AppLogin(app: app, domain: domain, sip: sip, guid: guid, dn: dn, digest: digest, pbxObj: pbxObj, info: info)
    }

    /// The result as the JSON object myApps passes to the app (`{"mt":"AppGetLoginResult",…}`).
    public var json: JSONObject {
        [
            "mt": "AppGetLoginResult", "domain": .string(domain), "sip": .string(sip), "guid": .string(guid), "dn": .string(dn),
            "pbxObj": .string(pbxObj), "app": .string(app), "info": .object(info), "digest": .string(digest), "key": .string(key),
        ]
    }
}

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
