import AppWebsocket

/// A user object of the simulated PBX.
public struct SimulatedUser: Sendable, Equatable, Codable {
    /// The SIP/H.323 name (`h323` in RCC and PbxTableUsers).
    public var sip: String
    public var guid: String
    /// Display name.
    public var dn: String
    /// The object's name (`cn`), what RCC `UserInitialize` takes.
    public var cn: String
    public var e164: String
    public var email: String
    /// Has an App licence (`App(<htm name>)`); without one logins carry `unlicensed:true`.
    public var licensed: Bool
    /// Has the connector's App object assigned, so RCC `Initialize` lists the user.
    public var hasApp: Bool
    /// The groups the user is in (`info.groups` of the user's app logins).
    public var groups: [String]

    public init(sip: String, guid: String, dn: String, cn: String? = nil, e164: String = "", email: String = "", licensed: Bool = true, hasApp: Bool = true, groups: [String] = []) {
        self.sip = sip
        self.guid = guid
        self.dn = dn
        self.cn = cn ?? sip
        self.e164 = e164
        self.email = email
        self.licensed = licensed
        self.hasApp = hasApp
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey {
        case sip, guid, dn, cn, e164, email, licensed, hasApp, groups
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let sip = try container.decode(String.self, forKey: .sip)
        self.init(
            sip: sip,
            guid: try container.decode(String.self, forKey: .guid),
            dn: try container.decodeIfPresent(String.self, forKey: .dn) ?? sip,
            cn: try container.decodeIfPresent(String.self, forKey: .cn),
            e164: try container.decodeIfPresent(String.self, forKey: .e164) ?? "",
            email: try container.decodeIfPresent(String.self, forKey: .email) ?? "",
            licensed: try container.decodeIfPresent(Bool.self, forKey: .licensed) ?? true,
            hasApp: try container.decodeIfPresent(Bool.self, forKey: .hasApp) ?? true,
            groups: try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        )
    }

    /// The user as a PbxTableUsers row, with the columns a real PBX sends (captured from 13r3):
    /// `apps-my` a comma-separated string, `e164` a string, `cds[].src` XML inside a string,
    /// numbers inside `forks` and `wakeups`, empty arrays present.
    var columns: JSONObject {
        [
            "guid": .string(guid), "h323": .string(sip), "cn": .string(cn), "dn": .string(dn), "e164": .string(e164),
            "apps-my": .string(hasApp ? "kuando,kuando-config,phone,softphone" : "phone,softphone"), "config": "Config User", "node": "root",
            "loc": "pbx-sim", "hide": false, "fax": false, "emails": email.isEmpty ? [] : [["email": .string(email)]],
            "grps": [["name": "Support"]],
            "devices": [["hw": .string("sw-\(sip)"), "text": "softphone", "app": "softphone", "tls": true, "sreg": true]],
            "cds": [["type": "cfnr", "bool": "Business hours", "e164": "203", "src": #"<src type="do"><ep ext="false" fwd="fwd"/></src>"#]],
            "forks": [["e164": "9999", "mobility": "Mobility", "delay": 30, "cw": true, "min": 1, "max": 10]],
            "wakeups": [], "t-allows": [["name": "@example.com", "online": true, "presence": true, "visible": true]],
        ]
    }

    /// The presences a PBX reports for a user nobody has set one for, shaped as myApps shows
    /// them (13r1 SDK `lib1_api_client.htm`): the client's `im:` entry and a calendar's, with
    /// `displayNote` and `params` (`params.until` a number, epoch milliseconds).
    static let initialPresence: [PbxApi.Presence] = [
        PbxApi.Presence(contact: "im:", status: "open", activity: "", note: "", displayNote: "", params: [:]),
        PbxApi.Presence(
            contact: "calendar:", status: "open", activity: "", note: "Free until 17:00 #free #until:1893488400000 #next-activity:busy",
            displayNote: "Free until 17:00", params: ["free": "", "until": 1_893_488_400_000, "next-activity": "busy"]),
    ]

    /// The user as RCC `UserInfo`.
    func userInfo(update: String? = nil, pbx: String) -> RCC.UserInfo {
        RCC.UserInfo(update: update, guid: guid, cn: cn, dn: dn, h323: sip, e164: e164, node: "root", pbx: pbx)
    }

    /// The `UserInfo` frame a PBX sends: the fields ``userInfo(update:pbx:)`` types, plus the
    /// documented `pseudo` and `regs` it does not.
    func userInfoFrame(update: String? = nil, pbx: String, src: String?) -> Frame {
        let frame = Frame(userInfo(update: update, pbx: pbx), src: src)
        var fields = frame.object
        fields["pseudo"] = ""
        fields["regs"] = [["hw": .string("sw-\(sip)")]]
        return Frame(mt: frame.mt, api: frame.api, src: src, fields: fields)
    }
}
