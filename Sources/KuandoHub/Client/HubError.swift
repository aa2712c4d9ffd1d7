import Foundation

/// What went wrong talking to a kuandoHUB, worded for the admin who has to fix it.
///
/// URLs in messages are shown without query or credentials, and the access token never appears.
public enum HubError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer: connection refused, no route, timeout.
    case unreachable(url: String, reason: String)
    /// 401: the hub refused the access token.
    case unauthorized(url: String)
    /// 404: the hub has no Busylight connected.
    case noBusylight(url: String)
    /// 400: the hub refused the request as malformed.
    case rejected(url: String, message: String)
    /// An answer the connector cannot read: another status, or a body that is not the hub's.
    case badReply(url: String, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "hub at \(url) cannot be reached (\(reason)): is kuandoHUB running and the HTTP server enabled in its advanced settings?"
        case .unauthorized(let url):
            "hub at \(url) answered 401: the access token is wrong — copy it from the hub's advanced settings (http_token)"
        case .noBusylight(let url):
            "hub at \(url) answered 404: no Busylight is connected — plug one into the PC that runs the hub"
        case .rejected(let url, let message):
            "hub at \(url) refused the request as malformed (\(message)): check that it is a kuandoHUB and up to date"
        case .badReply(let url, let detail):
            "hub at \(url) gave an answer the connector cannot read (\(detail)): check that the URL points at a kuandoHUB"
        }
    }

    /// The description without anything the server sent (a body excerpt, its error text), for
    /// users: an allowed address may hold a server that is not a hub, and its replies are for
    /// the admin's log only (``description``).
    public var plainDescription: String {
        switch self {
        case .rejected(let url, _):
            "hub at \(url) refused the request as malformed: check that it is a kuandoHUB and up to date"
        case .badReply(let url, _):
            "hub at \(url) gave an answer the connector cannot read: check that the URL points at a kuandoHUB"
        case .unreachable, .unauthorized, .noBusylight:
            description
        }
    }

    /// True when the hub did not answer at all; only then is a retry with backoff worthwhile.
    public var isUnreachable: Bool {
        if case .unreachable = self { true } else { false }
    }

    /// `url` as shown in messages: scheme, host, port and path only.
    public static func displayURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparseable URL)" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? "(unparseable URL)"
    }
}
