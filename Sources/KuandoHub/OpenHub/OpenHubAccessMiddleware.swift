import HTTPTypes
import Hummingbird

/// Refuses requests that ``OpenHubAccess`` does not allow with 401 and a JSON error.
struct OpenHubAccessMiddleware: RouterMiddleware {
    typealias Context = OpenHubRequestContext

    let access: OpenHubAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A local peer needs no token: the query is read for one only when it comes from elsewhere.
        let allowed = access.allows(peer: context.remoteAddress, presented: nil)
            || access.allows(peer: context.remoteAddress, presented: request.headers[OpenHubServer.tokenHeader] ?? Self.queryToken(request.uri.query))
        guard allowed else {
            return OpenHubServer.response(HubHTTPResponse(
                status: 401,
                body: HubReply.error(
                    "a valid access token is required from another machine: send it as the http_token header or accesstoken=")))
        }
        return try await next(request, context)
    }

    private static func queryToken(_ query: String?) -> String? {
        guard let query, let items = try? HubRequest.queryItems(query) else { return nil }
        return items.first { $0.0.lowercased() == "accesstoken" }?.1
    }
}
