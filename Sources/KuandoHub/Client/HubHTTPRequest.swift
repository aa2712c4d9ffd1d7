import Foundation

/// One request to a hub, as plain values a relay can carry.
public struct HubHTTPRequest: Equatable, Sendable, CustomStringConvertible {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    public var method: Method
    /// The hub's base URL, e.g. `http://localhost:8989/`.
    public var baseURL: String
    /// The query without `?` (GET), or nil.
    public var query: String?
    /// The JSON body (POST), or nil.
    public var body: Data?
    /// The access token, sent as the `http_token` header; never printed.
    public var token: String?
    /// The `Host` header to send when ``baseURL`` names the address a hub's name was resolved to
    /// (the service checks the address, then connects to it); nil sends the URL's own host.
    public var host: String?

    public init(method: Method, baseURL: String, query: String? = nil, body: Data? = nil, token: String? = nil) {
        self.method = method
        self.baseURL = baseURL
        self.query = query
        self.body = body
        self.token = token
    }

    /// The full URL (base URL plus query); the token is never part of it.
    public var url: String {
        guard let query, !query.isEmpty else { return baseURL }
        return baseURL + (baseURL.utf8.contains(UInt8(ascii: "?")) ? "&" : "?") + query
    }

    /// Method and URL, with the token left out.
    public var description: String { "\(method.rawValue) \(url)" }

    /// The header that carries the token, as the manual names it.
    public static let tokenHeader = "http_token"
}
