/// Who a stored config belongs to: a user of one PBX domain, named by the user's GUID.
///
/// Identity is ``domain`` + ``guid`` only; ``sip`` rides along so an admin looking at the
/// database can tell whose row it is. A user whose SIP name changes keeps their config.
public struct UserKey: Hashable, Sendable, CustomStringConvertible {
    /// The PBX domain, as the PBX reports it in the user's login.
    public var domain: String
    /// The user's GUID on the PBX; stable across renames.
    public var guid: String
    /// The user's SIP name, stored for display only.
    public var sip: String

    public init(domain: String, guid: String, sip: String = "") {
        self.domain = domain
        self.guid = guid
        self.sip = sip
    }

    public static func == (lhs: UserKey, rhs: UserKey) -> Bool {
        lhs.domain == rhs.domain && lhs.guid == rhs.guid
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(domain)
        hasher.combine(guid)
    }

    public var description: String {
        sip.isEmpty ? "\(guid)@\(domain)" : "\(sip)@\(domain) (\(guid))"
    }
}
