/// The `AppLogin` digest: lowercase hex SHA-256 of
/// `app:domain:sip:guid:dn[:info]:challenge:password`.
///
/// `info` is the text of the `info` object exactly as sent; it is left out (with its colon)
/// when the login has none, and an empty object counts (`:{}:`). `pbxObj` is not covered.
///
/// ```swift
/// LoginDigest.compute(app: "pbxadminapi", info: nil, challenge: "0123456789abcdef", password: "pwd")
/// // "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1"
/// ```
public enum LoginDigest {
    /// The text the digest hashes.
    public static func hashedText(
        app: String, domain: String = "", sip: String = "", guid: String = "", dn: String = "", info: String?, challenge: String, password: String
    ) -> String {
        var parts = [app, domain, sip, guid, dn]
        if let info { parts.append(info) }
        parts += [challenge, password]
        return parts.joined(separator: ":")
    }

    /// The digest for these fields.
    public static func compute(
        app: String, domain: String = "", sip: String = "", guid: String = "", dn: String = "", info: String?, challenge: String, password: String
    ) -> String {
        sha256Hex(hashedText(app: app, domain: domain, sip: sip, guid: guid, dn: dn, info: info, challenge: challenge, password: password))
    }

    /// The digest a login must carry, hashing its `info` as it arrived (``AppLogin/infoText``).
    public static func expected(for login: AppLogin, challenge: String, password: String) -> String {
        compute(app: login.app, domain: login.domain, sip: login.sip, guid: login.guid, dn: login.dn, info: login.infoText, challenge: challenge, password: password)
    }

    /// Whether the login's digest is right for the challenge and password, compared in
    /// constant time. Case matters: digests are lowercase hex.
    public static func verify(_ login: AppLogin, challenge: String, password: String) -> Bool {
        constantTimeEqual(login.digest, expected(for: login, challenge: challenge, password: password))
    }

    /// Builds a signed login (the producing side: the PBX, a client). `info` is encoded once,
    /// compact, and the digest hashes exactly that text, which the frame then carries.
    public static func sign(
        app: String, domain: String, sip: String, guid: String, dn: String, pbxObj: String? = nil, info: JSONObject?, challenge: String,
        password: String
    ) -> AppLogin {
        var login = AppLogin(app: app, domain: domain, sip: sip, guid: guid, dn: dn, digest: "", pbxObj: pbxObj, info: info)
        login.digest = expected(for: login, challenge: challenge, password: password)
        return login
    }
}
