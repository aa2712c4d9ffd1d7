import Foundation

/// Carries one HTTP exchange with a kuandoHUB.
///
/// The direct transport (``HTTPHubTransport``) speaks HTTP itself; a relay (the hidden myApps
/// app, for hubs only reachable on the user's PC) forwards the same ``HubHTTPRequest`` value
/// and hands back the status and body. Transports know nothing of the hub's protocol.
public protocol HubTransport: Sendable {
    /// Sends `request` and returns the hub's answer, whatever its status.
    /// - Throws: when no answer arrived (connection refused, timeout, …); the client reports
    ///   that as ``HubError/unreachable(url:reason:)``.
    func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse
}

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
        return baseURL + (baseURL.contains("?") ? "&" : "?") + query
    }

    /// Method and URL, with the token left out.
    public var description: String { "\(method.rawValue) \(url)" }

    /// The header that carries the token, as the manual names it.
    public static let tokenHeader = "http_token"
}

/// The hub's answer: status and body.
public struct HubHTTPResponse: Equatable, Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}
