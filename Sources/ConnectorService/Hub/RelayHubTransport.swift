import KuandoHub

/// A user's hidden myApps app as a way to the hub on the user's PC: it does single requests
/// (``relay(_:)``) and watches the hub (``watch(_:)``): it polls it there and reports only what
/// changes, so the service does no work per poll.
public protocol HubRelayChannel: Sendable {
    /// Does one hub request and returns the hub's answer.
    func relay(_ request: HubHTTPRequest) async throws -> HubHTTPResponse
    /// Asks the app to poll `watch.request` every `watch.interval` and tell `watch.receiver`
    /// (``HubPoller/received(_:watch:)``) the first answer, each change, and every
    /// `watch.keepalive` that it still polls. Replaces the app's earlier watch.
    /// - Throws: when the app cannot be told (its connection closed).
    func watch(_ watch: HubWatchOrder) async throws
    /// Ends the watch `id` if it is the app's current one.
    func unwatch(_ id: Int) async
}

/// What a ``HubRelayChannel`` is asked to watch, and who hears of it.
public struct HubWatchOrder: Sendable {
    public var id: Int
    public var request: HubHTTPRequest
    public var interval: Duration
    public var keepalive: Duration
    public var receiver: HubPoller
}

/// What a hidden app reported of a watched hub.
public enum HubWatchAnswer: Sendable {
    /// The answer has not changed since the last report; the app still polls.
    case unchanged
    /// The hub's answer, or why the app could not fetch it.
    case answered(Result<HubHTTPResponse, any Error>)
}

/// Reaches a hub on the user's PC (`localhost`) through the hidden app, which fetches it
/// from inside myApps. Requests fail at once while no hidden app of the user is connected.
public struct RelayHubTransport: HubTransport {
    public let channel: any HubRelayChannel

    public init(channel: any HubRelayChannel) {
        self.channel = channel
    }

    public func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        try await channel.relay(request)
    }
}
