import KuandoHub

/// Carries one hub request through a user's hidden myApps app and returns the hub's answer.
public protocol HubRelayChannel: Sendable {
    func relay(_ request: HubHTTPRequest) async throws -> HubHTTPResponse
}

/// Reaches a hub on the user's own PC (`localhost`) through the hidden app, which fetches it
/// from inside myApps. Requests fail at once while no hidden app of the user is connected.
public struct RelayHubTransport: HubTransport {
    private let channel: any HubRelayChannel

    public init(channel: any HubRelayChannel) {
        self.channel = channel
    }

    public func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        try await channel.relay(request)
    }
}
