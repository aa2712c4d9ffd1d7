/// Who a session belongs to: a PBX user, keyed by domain and GUID as the PBX reports them.
public struct UserIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    public var domain: String
    public var guid: String
    public var sip: String
    public var dn: String

    public init(domain: String, guid: String, sip: String, dn: String = "") {
        self.domain = domain
        self.guid = guid
        self.sip = sip
        self.dn = dn
    }

    /// `sip@domain`, for logs.
    public var description: String { "\(sip)@\(domain)" }
}
