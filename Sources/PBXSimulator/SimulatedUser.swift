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

    public init(sip: String, guid: String, dn: String, cn: String? = nil, e164: String = "", email: String = "", licensed: Bool = true, hasApp: Bool = true) {
        self.sip = sip
        self.guid = guid
        self.dn = dn
        self.cn = cn ?? sip
        self.e164 = e164
        self.email = email
        self.licensed = licensed
        self.hasApp = hasApp
    }

    enum CodingKeys: String, CodingKey {
        case sip, guid, dn, cn, e164, email, licensed, hasApp
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
            hasApp: try container.decodeIfPresent(Bool.self, forKey: .hasApp) ?? true
        )
    }

    /// The user as a PbxTableUsers row.
    var columns: JSONObject {
        ["guid": .string(guid), "h323": .string(sip), "cn": .string(cn), "dn": .string(dn), "e164": .string(e164)]
    }

    /// The user as RCC `UserInfo`.
    func userInfo(update: String? = nil, pbx: String) -> RCC.UserInfo {
        RCC.UserInfo(update: update, guid: guid, cn: cn, dn: dn, h323: sip, e164: e164, node: "root", pbx: pbx)
    }
}
