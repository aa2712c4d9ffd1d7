import Busylight
import Foundation
import KuandoHub

/// A 3rd-party application's kuandoHUB plugin (MS Teams, Manual Changer, …) as the demo plays it:
/// it posts to the hub's HTTP API under its own platform name, with the event names of the
/// seed's table ("On-The-Phone", "Away", "Lunch"), exactly as any source on the user's PC would.
public struct ThirdPartyApp: Sendable {
    /// The platform name the hub ranks and the connector maps (`MS Teams`, `Manual Changer`).
    let platform: String
    let hubURL: String
    let transport: HTTPHubTransport

    /// Registers the data source and asks for a priority line: a source new to the hub ranks
    /// below the ones that asked before it (the connector's `innovaphone myApps` among them).
    public func register(eventTypes: [String: [String]]) async throws {
        try await post(HubRequest(.registerDataSource(HubDataSource(
            name: platform, eventTypes: eventTypes.mapValues { HubEventTypeNames(eventNames: $0) }))))
        try await post(HubRequest(.createInitialPriority(HubPriorityLine(sender: platform))))
    }

    /// Shows `action` on the hub as event `eventName` of type `eventType`.
    public func show(_ action: HubAction, eventType: String, eventName: String) async throws {
        try await post(HubRequest(action, sender: platform, eventType: eventType, eventName: eventName))
    }

    /// Withdraws everything the application asked for, as a plugin does when its app exits.
    public func logout() async throws {
        try await post(HubRequest(.logout, sender: platform))
    }

    private func post(_ request: HubRequest) async throws {
        let response = try await transport.send(HubHTTPRequest(method: .post, baseURL: hubURL, body: request.postBody))
        guard (200..<300).contains(response.status) else {
            throw StoryStepFailure(
                expected: "the open hub accepting \(platform)'s \(request.action.name.rawValue)",
                seen: "HTTP \(response.status): " + String(decoding: response.body.prefix(200), as: UTF8.self))
        }
    }
}
