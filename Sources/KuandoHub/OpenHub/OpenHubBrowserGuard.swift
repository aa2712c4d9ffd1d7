import HTTPTypes
import Hummingbird

/// Keeps web pages the user happens to visit away from the open hub, which listens on the
/// user's own machine where any page's scripts and images can reach it.
///
/// - `Host` must name this hub: `localhost`, an IP address, or a name the admin lists
///   (``OpenHubServer/Configuration/hostNames``). A page on a rebinding name (`evil.example`
///   resolved to 127.0.0.1) sends its own name and is refused with 421.
/// - A browser request names its page in `Origin`; only the origins the admin allows
///   (``OpenHubServer/Configuration/origins``: the myApps or service origin the hidden app runs
///   under) get through, and only they get CORS headers, each its own origin, never `*`.
/// - A browser request without `Origin` from another site (`Sec-Fetch-Site: cross-site` or
///   `same-site`: an `<img>`, a `<script>`, a form, a link) is refused, except a navigation to
///   the status page.
/// - Requests from outside a browser (no `Origin`, no such `Sec-Fetch-Site`: the service, a
///   script, curl) pass as the kuandoHUB API expects.
struct OpenHubBrowserGuard: RouterMiddleware {
    typealias Context = OpenHubRequestContext

    let origins: BrowserOrigins
    let hostNames: Set<String>

    static let allowedHeaders = ["Accept", "Content-Type", HubHTTPRequest.tokenHeader].joined(separator: ", ")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = hostRefusal(request.head.authority) {
            return OpenHubServer.response(HubHTTPResponse(status: 421, body: HubReply.error(refusal)))
        }
        let origin = request.headers[.origin]
        if let origin {
            guard origins.allows(origin: origin, host: request.head.authority) else {
                return OpenHubServer.response(HubHTTPResponse(
                    status: 403,
                    body: HubReply.error("web pages from \(origin) may not call this hub; the hub's owner allows an origin with --allow-origin")))
            }
        } else if ["cross-site", "same-site"].contains(request.headers[.secFetchSite]?.lowercased()),
                  !(request.headers[.secFetchMode] == "navigate" && request.method == .get && request.uri.path == "/status") {
            return OpenHubServer.response(HubHTTPResponse(status: 403, body: HubReply.error("requests that another web site makes are refused")))
        }
        guard let origin else { return try await next(request, context) }
        if request.method == .options {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: origin, .accessControlAllowMethods: "GET, POST, OPTIONS",
                .accessControlAllowHeaders: Self.allowedHeaders, .accessControlMaxAge: "600", .vary: "Origin",
            ]
            // Chrome asks before a page reaches a more private address (Private Network Access).
            if request.headers[.accessControlRequestPrivateNetwork] == "true" { headers[.accessControlAllowPrivateNetwork] = "true" }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        return response
    }

    /// Why `authority` (the `Host` header) does not name this hub; nil when it does.
    func hostRefusal(_ authority: String?) -> String? {
        guard let authority, !authority.isEmpty else { return nil }
        var host = authority.lowercased()
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<end])
        } else if let colon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
            host = String(host[..<colon])
        }
        if host == "localhost" || hostNames.contains(host) || Self.isIPLiteral(host) { return nil }
        return "this hub does not answer to the name \(host): call it by localhost or its IP address, or its owner adds the name with --allow-host"
    }

    static func isIPLiteral(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
        return host.contains(":") && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}

extension HTTPField.Name {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let secFetchMode = HTTPField.Name("Sec-Fetch-Mode")!
    static let accessControlRequestPrivateNetwork = HTTPField.Name("Access-Control-Request-Private-Network")!
    static let accessControlAllowPrivateNetwork = HTTPField.Name("Access-Control-Allow-Private-Network")!
}
