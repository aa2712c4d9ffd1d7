import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the service's router: a websocket context that also knows the peer's
/// address, which the login throttle keys on.
public struct ConnectorRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text (`127.0.0.1`, `::1`), nil when unknown.
    public var peerAddress: String? { remoteAddress?.ipAddress }
}
