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
