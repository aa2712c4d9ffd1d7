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
    /// The app the login is for: the last segment of the App object's URL.
    public var app: String
    /// `{appobj, appdn, appurl, pbx, cn, unlicensed?|testmode?, groups, apps}`.
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
