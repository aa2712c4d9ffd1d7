import Foundation
import Timing
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import KuandoHub
import KuandoSync
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// A running ``ConnectorApplication`` with its bound port, for tests, the demo and the
/// benchmark: started in the background, stopped as SIGTERM stops `kuando serve`.
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
        /// Serve HTTPS and wss:// with this (`--tls-cert`, `--tls-key`); plain HTTP when nil.
        public var tls: TLSConfiguration?
        /// Web pages (origins) besides the service's own that may open its websocket (`--allow-origin`).
        public var allowedOrigins: [String]
        /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client (`--trusted-proxy`).
        public var trustedProxies: [IPNetwork]

        /// The defaults, for the library and `kuando serve` alike: this machine only (behind a
        /// reverse proxy, or the admin opens it with `--listen 0.0.0.0`), port 8080, `/kuando`.
        public static let defaultHost = "127.0.0.1"
        public static let defaultPort = 8080
        public static let defaultPath = "/kuando"

        public init(
            host: String = defaultHost, port: Int = defaultPort, path: String = defaultPath, domain: String? = nil, password: String,
            allowedHubNetworks: [IPNetwork] = [], localHubsDirect: Bool = false, dataSourceName: String = SyncEngine.defaultDataSourceName,
            tls: TLSConfiguration? = nil, allowedOrigins: [String] = [], trustedProxies: [IPNetwork] = []
        ) {
            self.host = host
            self.port = port
            self.path = path
            self.domain = domain
            self.password = password
            self.allowedHubNetworks = allowedHubNetworks
            self.localHubsDirect = localHubsDirect
            self.dataSourceName = dataSourceName
            self.tls = tls
            self.allowedOrigins = allowedOrigins
            self.trustedProxies = trustedProxies
        }

        /// `path` with one leading slash and no trailing one.
        public var normalisedPath: String {
            "/" + path.split(separator: "/").joined(separator: "/")
        }
    }

    public let configuration: Configuration
    public let application: ConnectorApplication
    public let store: any ConfigStore
    /// The port the server listens on (the real one when configured with 0).
    public let port: Int
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    /// The primary instance's sessions (``ConnectorApplication/primary``).
    public var registry: SessionRegistry { application.primary.registry }
    /// The primary instance's websocket endpoint: logins, and what peers hold before they log in.
    public var endpoint: ConnectorEndpoint { application.primary.endpoint }
    /// Every instance this service knows, and where each is served.
    public var instances: InstanceDirectory { application.instances }

    private init(application: ConnectorApplication, port: Int, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.configuration = application.configuration
        self.application = application
        self.store = application.store
        self.port = port
        self.group = group
        self.runner = runner
    }

    /// Starts ``ConnectorApplication`` and returns once the port is bound and the instances
    /// have been claimed once.
    /// - Parameters:
    ///   - policy: overrides the policy built from ``Configuration/allowedHubNetworks`` (tests inject a resolver).
    ///   - metrics: where the service's metrics go and what `/metrics` shows; a registry of its own by default.
    ///   - limits: what a peer gets before its login (deadlines, failed logins per address).
    ///   - standinLogin: demo mode only: serves `<path>/standin/login` for the myApps stand-in page
    ///     (see ``StandinLogin``); nil, as in `kuando serve`, serves no such route.
    ///   - process: this process's name as others sharing the store see it.
    public static func start(
        _ configuration: Configuration, store: any ConfigStore, policy: HubNetworkPolicy? = nil,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), limits: ConnectorEndpoint.Limits = .init(),
        logger: Logger = Logger(label: "kuando.connector"), standinLogin: StandinLogin? = nil, process: String = ConnectorApplication.processName
    ) async throws -> ConnectorServer {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let application = try ConnectorApplication.build(
            configuration, store: store, policy: policy, metrics: metrics, limits: limits, logger: logger, standinLogin: standinLogin, process: process
        ) { port in
            portSink.yield(port)
            portSink.finish()
        }
        let group = application.serviceGroup(gracefulShutdownSignals: [], logger: logger)
        let runner = Task {
            // A listener that fails to bind never reports a port: end the wait below either way.
            defer { portSink.finish() }
            try await group.run()
        }
        var bound: Int?
        for await port in ports { bound = port }
        guard let bound else {
            try await runner.value
            throw ConnectorServerError.notListening(host: configuration.host, port: configuration.port)
        }
        await application.keeper.firstRoundDone()
        return ConnectorServer(application: application, port: bound, group: group, runner: runner)
    }

    /// Stops the application as SIGTERM stops `kuando serve`: `Logout` to every hub, the
    /// listener and the connections (cut off when they do not close within
    /// ``ConnectorApplication/shutdownGrace``), the store.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
    }

    /// Waits until the application ends (by ``stop()`` or an error).
    public func wait() async throws {
        try await runner.value
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
