/// `AppChallenge`: a client asks for a login challenge (first message of every login).
public struct AppChallenge: AppMessage, Equatable {
    public static let messageType = "AppChallenge"
    /// Sent by the 14r1 JavaScript library; informational.
    public var user: String?

    public init(user: String? = nil) { self.user = user }

    public init(frame: Frame) throws(FrameError) {
        self.user = try FieldReader(frame).optionalString("user")
    }

    public var fields: JSONObject {
        var object = JSONObject()
        object["user"] = user.map(JSONValue.string)
        return object
    }
}

/// `AppChallengeResult`: the challenge the next `AppLogin` digest must include.
public struct AppChallengeResult: AppMessage, Equatable {
    public static let messageType = "AppChallengeResult"
    public var challenge: String

    public init(challenge: String) { self.challenge = challenge }

    /// The challenge is text (real ones are 16 hex characters); a number is taken as its literal.
    public init(frame: Frame) throws(FrameError) {
        guard let challenge = FieldReader(frame).looseString("challenge") else { throw .missingField("challenge", messageType: frame.mt) }
        self.challenge = challenge
    }

    public var fields: JSONObject { ["challenge": .string(challenge)] }
}

/// `AppLogin`: who logs in, with the digest proving knowledge of the shared password.
///
/// ``infoText`` is the `info` object exactly as it arrived (or as it will be sent): the digest
/// covers these characters, not a re-encoding of ``info``.
///
/// Who logs in is told by ``isAppObjectLogin``, not by what `info` holds: every login that myApps
/// brokers for a user carries `info.pbx` too (`real-traffic.md`, fact 2).
public struct AppLogin: AppMessage, Equatable {
    public static let messageType = "AppLogin"
    /// The app: the htm file name without `.htm` (flow B), or the app's name (flow C).
    public var app: String
    public var domain: String
    public var sip: String
    public var guid: String
    public var dn: String
    /// Lowercase hex SHA-256, see ``LoginDigest``.
    public var digest: String
    /// The App object's SIP name (flow C); not covered by the digest.
    public var pbxObj: String?
    /// The `info` object, decoded.
    public var info: JSONObject?
    /// The `info` object's exact text; the digest covers it.
    public var infoText: String?

    /// Builds a login whose `info` will be sent, and hashed, as `info.text`.
    public init(app: String, domain: String, sip: String, guid: String, dn: String, digest: String, pbxObj: String? = nil, info: JSONObject? = nil) {
        self.app = app
        self.domain = domain
        self.sip = sip
        self.guid = guid
        self.dn = dn
        self.digest = digest
        self.pbxObj = pbxObj
        self.info = info
        self.infoText = info?.text
    }

    public init(frame: Frame) throws(FrameError) {
        let reader = FieldReader(frame)
        self.app = try reader.string("app", default: "")
        self.domain = try reader.string("domain", default: "")
        self.sip = try reader.string("sip", default: "")
        self.guid = try reader.string("guid", default: "")
        self.dn = try reader.string("dn", default: "")
        self.digest = try reader.string("digest")
        // Any value counts as present: a login that names an App object is a user's.
        self.pbxObj = reader.looseString("pbxObj") ?? frame.object["pbxObj"].flatMap { $0 == .null ? nil : $0.text }
        self.info = try reader.optionalObject("info")
        self.infoText = info == nil ? nil : frame.rawText(of: "info")
    }

    public var fields: JSONObject {
        var object: JSONObject = [
            "app": .string(app), "domain": .string(domain), "sip": .string(sip), "guid": .string(guid), "dn": .string(dn),
            "digest": .string(digest),
        ]
        object["pbxObj"] = pbxObj.map(JSONValue.string)
        object["info"] = info.map(JSONValue.object)
        return object
    }

    /// `info.unlicensed`: the PBX found no App licence for this user (§4.4).
    public var isUnlicensed: Bool { info?["unlicensed"]?.boolValue == true }

    /// The order in which a PBX writes its own login's members after `mt` (captured from a
    /// 13r3 PBX: `mt, sip, guid, dn, digest, domain, app, info`).
    public static let pbxKeyOrder = ["sip", "guid", "dn", "digest", "domain", "app", "info"]

    /// `info.testmode`: the PBX runs in licence test mode, where every user counts as licensed.
    public var isTestMode: Bool { info?["testmode"]?.boolValue == true }

    /// Whether an App object logs in as itself: the PBX's own connection (flow B). `sip` is the
    /// object's name and equals `info.appobj`, and no `pbxObj` is named.
    ///
    /// A user's login through myApps names the App object in `pbxObj` and carries the user's
    /// `sip`, whatever else `info` holds (`pbx`, `groups`, `apps`). innovaphone's own services
    /// make the same test (`appobj == sip`) and treat the connection as the PBX's once `PbxInfo`
    /// arrives on it; so should a receiver of this login.
    public var isAppObjectLogin: Bool {
        guard pbxObj == nil, !sip.isEmpty, case .string(let appobj)? = info?["appobj"] else { return false }
        return appobj == sip
    }
}

/// `AppLoginResult`: `ok:true` on success; absent or false means refused.
public struct AppLoginResult: AppMessage, Equatable {
    public static let messageType = "AppLoginResult"
    public var ok: Bool
    /// The service's instance domain (C++ library behaviour).
    public var domain: String?
    public var error: Int?
    public var errorText: String?

    public init(ok: Bool, domain: String? = nil, error: Int? = nil, errorText: String? = nil) {
        self.ok = ok
        self.domain = domain
        self.error = error
        self.errorText = errorText
    }

    public init(frame: Frame) throws(FrameError) {
        let reader = FieldReader(frame)
        self.ok = reader.looseBool("ok") ?? false
        self.domain = reader.looseString("domain")
        self.error = reader.looseInt("error")
        self.errorText = reader.looseString("errorText")
    }

    /// A refused login is sent without `ok`, as the innovaphone libraries do.
    public var fields: JSONObject {
        var object = JSONObject()
        if ok { object["ok"] = true }
        object["domain"] = domain.map(JSONValue.string)
        object["error"] = error.map(JSONValue.int)
        object["errorText"] = errorText.map(JSONValue.string)
        return object
    }
}

/// `AppInfo`: the PBX asks what the service announces for one app (htm name).
public struct AppInfo: AppMessage, Equatable {
    public static let messageType = "AppInfo"
    public var app: String

    public init(app: String) { self.app = app }

    public init(frame: Frame) throws(FrameError) {
        self.app = FieldReader(frame).looseString("app") ?? ""
    }

    public var fields: JSONObject { ["app": .string(app)] }
}

/// `AppInfoResult`: the app's announcement `{hidden, presence, apis, wake}`.
public struct AppInfoResult: AppMessage, Equatable {
    public static let messageType = "AppInfoResult"
    public var info: JSONObject
    public var serviceInfo: JSONObject?
    /// `phone`, `softphone` or `rcc`.
    public var deviceapp: String?

    public init(info: JSONObject, serviceInfo: JSONObject? = nil, deviceapp: String? = nil) {
        self.info = info
        self.serviceInfo = serviceInfo
        self.deviceapp = deviceapp
    }

    public init(frame: Frame) throws(FrameError) {
        let reader = FieldReader(frame)
        self.info = try reader.object("info")
        self.serviceInfo = try reader.optionalObject("serviceInfo")
        self.deviceapp = try reader.optionalString("deviceapp")
    }

    public var fields: JSONObject {
        var object: JSONObject = ["info": .object(info)]
        object["serviceInfo"] = serviceInfo.map(JSONValue.object)
        object["deviceapp"] = deviceapp.map(JSONValue.string)
        return object
    }

    /// `info.hidden`.
    public var isHidden: Bool { info["hidden"]?.boolValue == true }
}

/// `PbxInfo`: sent by the PBX right after a successful login; `apis` are the PBX APIs it grants.
///
/// Only `apis` is acted on; every field is read tolerantly (`version` and `build` are 14r1's,
/// and nothing public shows a real `PbxInfo`).
public struct PbxInfo: AppMessage, Equatable {
    public static let messageType = "PbxInfo"
    public var domain: String
    public var pbx: String
    public var pbxDns: String
    public var apis: [String]
    public var version: String
    public var build: String

    public init(domain: String, pbx: String, pbxDns: String = "", apis: [String], version: String = "", build: String = "") {
        self.domain = domain
        self.pbx = pbx
        self.pbxDns = pbxDns
        self.apis = apis
        self.version = version
        self.build = build
    }

    public init(frame: Frame) throws(FrameError) {
        let reader = FieldReader(frame)
        self.domain = reader.looseString("domain") ?? ""
        self.pbx = reader.looseString("pbx") ?? ""
        self.pbxDns = reader.looseString("pbxDns") ?? ""
        self.apis = reader.looseStrings("apis")
        self.version = reader.looseString("version") ?? ""
        self.build = reader.looseString("build") ?? ""
    }

    public var fields: JSONObject {
        [
            "domain": .string(domain), "pbx": .string(pbx), "pbxDns": .string(pbxDns), "apis": .array(apis.map(JSONValue.string)),
            "version": .string(version), "build": .string(build),
        ]
    }
}

/// `CheckBuild`: a client asks whether its build URL is current; answered by `CheckBuildResult`.
public struct CheckBuild: AppMessage, Equatable {
    public static let messageType = "CheckBuild"
    public var url: String

    public init(url: String) { self.url = url }

    public init(frame: Frame) throws(FrameError) {
        self.url = FieldReader(frame).looseString("url") ?? ""
    }

    public var fields: JSONObject { ["url": .string(url)] }
}

/// `CheckBuildResult`: the URL to use (rewritten when the build directory differs).
public struct CheckBuildResult: AppMessage, Equatable {
    public static let messageType = "CheckBuildResult"
    public var url: String

    public init(url: String) { self.url = url }

    public init(frame: Frame) throws(FrameError) {
        self.url = FieldReader(frame).looseString("url") ?? ""
    }

    public var fields: JSONObject { ["url": .string(url)] }
}

/// `KeepAlive`: traffic on an idle connection; needs no answer.
public struct KeepAlive: AppMessage, Equatable {
    public static let messageType = "KeepAlive"

    public init() {}
    public init(frame: Frame) throws(FrameError) {}
    public var fields: JSONObject { JSONObject() }
}

/// `AppCheckLogin`: a PBX Manager plugin checks an App object's password against the service.
///
/// The plugin gets a digest for the object from the PBX (PbxAdminApi `GetAppLogin{app,
/// challenge}`, with a challenge of its own choosing) and sends it here on its own connection,
/// before (or without) logging in. The digest is `SHA256(app:domain::::challenge:password)`:
/// an `AppLogin` digest with empty `sip`, `guid`, `dn` and no `info` (``LoginDigest``); a missing
/// or empty `domain` means the service's own domain. Sources: `PbxAdminApi.htm` (GetAppLogin),
/// the C++ library's `appwebsocket.htm` (AppWebsocketCheckLogin) and innovaphone's manager
/// plugins; the answer's shape is the SDK library's, which no page documents.
public struct AppCheckLogin: AppMessage, Equatable {
    public static let messageType = "AppCheckLogin"
    public var app: String
    public var domain: String?
    public var challenge: String
    public var digest: String

    public init(app: String, domain: String? = nil, challenge: String, digest: String) {
        self.app = app
        self.domain = domain
        self.challenge = challenge
        self.digest = digest
    }

    public init(frame: Frame) throws(FrameError) {
        let reader = FieldReader(frame)
        self.app = try reader.string("app")
        self.domain = reader.looseString("domain")
        guard let challenge = reader.looseString("challenge") else { throw .missingField("challenge", messageType: frame.mt) }
        self.challenge = challenge
        self.digest = try reader.string("digest")
    }

    public var fields: JSONObject {
        var object: JSONObject = ["app": .string(app)]
        object["domain"] = domain.map(JSONValue.string)
        object["challenge"] = .string(challenge)
        object["digest"] = .string(digest)
        return object
    }
}

/// `AppCheckLoginResult`: `ok:true` when the password matches; without `ok` when it does not.
public struct AppCheckLoginResult: AppMessage, Equatable {
    public static let messageType = "AppCheckLoginResult"
    public var ok: Bool

    public init(ok: Bool) { self.ok = ok }

    public init(frame: Frame) throws(FrameError) {
        self.ok = FieldReader(frame).looseBool("ok") ?? false
    }

    public var fields: JSONObject { ok ? ["ok": true] : JSONObject() }
}
