import Hummingbird
import NIOCore

/// The request context of the open hub: Hummingbird's core storage plus the peer's address,
/// which decides whether a token is needed.
public struct OpenHubRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// True when the request comes from this machine (see ``OpenHubAccess/isLoopback(_:)``).
    public var isLoopbackPeer: Bool { OpenHubAccess.isLoopback(remoteAddress) }
}
