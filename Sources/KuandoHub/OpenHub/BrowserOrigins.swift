import Foundation

/// Which web pages may call a server from a browser: the browser names the calling page in
/// `Origin` (`https://apps.example.com:8080`), and only the origins an admin allows, or the
/// server's own, are let through. Requests from outside a browser send no `Origin` and are not
/// affected (the PBX, scripts, the service calling a hub).
///
/// ```swift
/// let origins = BrowserOrigins(allowed: ["https://myapps.example.com"])
/// origins.allows(origin: "https://myapps.example.com", host: "127.0.0.1:8989")   // true
/// origins.allows(origin: "https://evil.example", host: "127.0.0.1:8989")         // false
/// origins.allows(origin: nil, host: "127.0.0.1:8989")                            // true: not a browser
/// ```
public struct BrowserOrigins: Sendable, Equatable {
    /// The allowed origins, normalised (`scheme://host[:port]`, lower case, default ports left out).
    public let allowed: [String]

    /// - Parameter allowed: origins such as `https://apps.example.com:8080`; a value that is not
    ///   an origin is ignored (``normalise(_:)`` tells the settings which ones).
    public init(allowed: [String]) {
        self.allowed = allowed.compactMap(Self.normalise)
    }

    /// Whether a request with this `Origin` header may proceed. No `Origin`: not a browser (or a
    /// same-origin `GET`), allowed. An origin that is not `http(s)://` is no web page either
    /// (websocket client libraries send `ws://host`), allowed. An origin whose host and port
    /// are the request's own `Host` is the server's own page, allowed. `null` (sandboxed frames,
    /// local files) is refused.
    public func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        let scheme = origin.split(separator: ":", maxSplits: 1).first?.lowercased() ?? ""
        if origin.lowercased() != "null", scheme != "http", scheme != "https" { return true }
        guard let normal = Self.normalise(origin) else { return false }
        if allowed.contains(normal) { return true }
        guard let host, let components = URLComponents(string: normal), let originHost = components.host else { return false }
        let port = components.port.map { ":\($0)" } ?? ""
        let own = (originHost.contains(":") ? "[\(originHost)]" : originHost) + port
        return Self.hostWithoutDefaultPort(host.lowercased(), scheme: components.scheme ?? "") == own
    }

    /// `scheme://host[:port]` in lower case, without a default port or a trailing slash; nil for
    /// anything that is not an http(s) origin.
    public static func normalise(_ text: String) -> String? {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty,
              components.path.isEmpty || components.path == "/", components.query == nil, components.user == nil
        else { return nil }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let port = components.port.flatMap { port in (scheme == "http" && port == 80) || (scheme == "https" && port == 443) ? nil : port }
        return "\(scheme)://\(bracketed)\(port.map { ":\($0)" } ?? "")"
    }

    private static func hostWithoutDefaultPort(_ host: String, scheme: String) -> String {
        if scheme == "http", host.hasSuffix(":80") { return String(host.dropLast(3)) }
        if scheme == "https", host.hasSuffix(":443") { return String(host.dropLast(4)) }
        return host
    }
}
