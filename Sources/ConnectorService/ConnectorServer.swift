import Foundation
import Hummingbird
import HummingbirdWebSocket
import KuandoHub
import KuandoSync
import Logging
import NIOCore
import ServiceLifecycle

/// Everything `kuando serve` runs, put together: the store, the sessions, the websocket for the
/// PBX and the apps, the pages, and the health endpoints.
///
/// ```swift
/// let server = try await ConnectorServer.start(ConnectorServer.Configuration(port: 0, password: "pw"), store: store)
/// print(server.port)            // the bound port
/// await server.stop()           // Logout to every hub, sockets closed
/// ```
public final class ConnectorServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// The URL path of the apps' directory, e.g. `/kuando`.
        public var path: String
        /// The PBX domain this instance serves, sent back in `AppLoginResult`.
        public var domain: String?
        /// The instance password the PBX App objects use.
        public var password: String
        /// Networks whose hubs the service may call itself (`--allow-hub-network`).
        public var allowedHubNetworks: [IPNetwork]
        /// Call hubs on `localhost` from the service itself (service and hub on one machine).
        public var localHubsDirect: Bool
        public var dataSourceName: String

        public init(
            host: String = "127.0.0.1", port: Int = 8080, path: String = "/kuando", domain: String? = nil, password: String,
            allowedHubNetworks: [IPNetwork] = [], localHubsDirect: Bool = false, dataSourceName: String = SyncEngine.defaultDataSourceName
        ) {
            self.host = host
            self.port = port
            self.path = path
            self.domain = domain
            self.password = password
            self.allowedHubNetworks = allowedHubNetworks
            self.localHubsDirect = localHubsDirect
            self.dataSourceName = dataSourceName
        }

        /// `path` with one leading slash and no trailing one.
        public var normalisedPath: String {
            "/" + path.split(separator: "/").joined(separator: "/")
        }
    }

    public let configuration: Configuration
    public let registry: SessionRegistry
    public let store: any ConfigStore
    /// The port the server listens on (the real one when configured with 0).
    public let port: Int
    private let runner: Task<Void, any Error>
    private let transport: HTTPHubTransport

    private init(configuration: Configuration, registry: SessionRegistry, store: any ConfigStore, port: Int, runner: Task<Void, any Error>, transport: HTTPHubTransport) {
        self.configuration = configuration
        self.registry = registry
        self.store = store
        self.port = port
        self.runner = runner
        self.transport = transport
    }

    /// Starts listening and returns once the port is bound.
    /// - Parameters:
    ///   - policy: overrides the policy built from ``Configuration/allowedHubNetworks`` (tests inject a resolver).
    ///   - limits: what a peer gets before its login (deadlines, failed logins per address).
    public static func start(
        _ configuration: Configuration, store: any ConfigStore, policy: HubNetworkPolicy? = nil, limits: ConnectorEndpoint.Limits = .init(),
        logger: Logger = Logger(label: "kuando.connector")
    ) async throws -> ConnectorServer {
        let transport = HTTPHubTransport()
        let registry = SessionRegistry(
            store: store, policy: policy ?? HubNetworkPolicy(allowed: configuration.allowedHubNetworks, localHubsDirect: configuration.localHubsDirect), directTransport: transport,
            traces: TraceSink(logger: logger), dataSourceName: configuration.dataSourceName, logger: logger)
        let endpoint = ConnectorEndpoint(password: configuration.password, domain: configuration.domain, registry: registry, limits: limits, logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(configuration, endpoint: endpoint, registry: registry, logger: logger) { port in
            portSink.yield(port)
            portSink.finish()
        }
        let runner = Task { try await app.runService(gracefulShutdownSignals: []) }
        var bound: Int?
        for await port in ports { bound = port }
        guard let bound else {
            try await transport.shutdown()
            try await runner.value
            throw ConnectorServerError.notListening(host: configuration.host, port: configuration.port)
        }
        return ConnectorServer(configuration: configuration, registry: registry, store: store, port: bound, runner: runner, transport: transport)
    }

    /// Sends `Logout` to every hub, ends the sessions and the listener, and closes the store.
    public func stop() async {
        await registry.shutdown()
        runner.cancel()
        _ = try? await runner.value
        try? await transport.shutdown()
        try? await store.close()
    }

    /// Waits until the listener ends (by ``stop()`` or an error).
    public func wait() async throws {
        try await runner.value
    }

    /// The router: the websocket at the apps' directory, the pages, `/healthz` and `/readyz`.
    static func buildApplication(
        _ configuration: Configuration, endpoint: ConnectorEndpoint, registry: SessionRegistry, logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: ConnectorRequestContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            let ready = registry.pbxLinked
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "no PBX linked: check the App object's URL and password\n")))
        }
        let pages = WebPages()
        router.get(RouterPath(configuration.normalisedPath + "/:file")) { _, context -> Response in
            guard let name = context.parameters.get("file"), let page = pages.response(for: name) else {
                throw HTTPError(.notFound, message: "no such page; the apps are \(AppNames.hidden).htm and \(AppNames.config).htm")
            }
            return page
        }
        // Hummingbird matches `/kuando` and `/kuando/` with one route.
        router.ws(RouterPath(configuration.normalisedPath)) { inbound, outbound, context in
            try await endpoint.serve(inbound: inbound, outbound: outbound, peerAddress: context.requestContext.peerAddress)
        }
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: .init(maxFrameSize: WebSocketTransportLimits.frameBytes, autoPing: .enabled(timePeriod: .seconds(30))),
                requestHeadDeadline: endpoint.limits.requestHeadDeadline
            ),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

/// Why the service did not start.
public enum ConnectorServerError: Error, CustomStringConvertible {
    case notListening(host: String, port: Int)

    public var description: String {
        switch self {
        case .notListening(let host, let port):
            "the service could not listen on \(host):\(port): is another program using the port? choose another with --port"
        }
    }
}
