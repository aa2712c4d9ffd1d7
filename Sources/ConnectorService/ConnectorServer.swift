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
    public let registry: SessionRegistry
    /// The websocket endpoint: logins, and what peers hold before they log in.
    public let endpoint: ConnectorEndpoint
    public let store: any ConfigStore
    /// The port the server listens on (the real one when configured with 0).
    public let port: Int
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    private init(application: ConnectorApplication, port: Int, group: ServiceGroup, runner: Task<Void, any Error>) {
        self.configuration = application.configuration
        self.registry = application.registry
        self.endpoint = application.endpoint
        self.store = application.store
        self.port = port
        self.group = group
        self.runner = runner
    }

    /// Starts ``ConnectorApplication`` and returns once the port is bound.
    /// - Parameters:
    ///   - policy: overrides the policy built from ``Configuration/allowedHubNetworks`` (tests inject a resolver).
    ///   - metrics: where the service's metrics go and what `/metrics` shows; a registry of its own by default.
    ///   - limits: what a peer gets before its login (deadlines, failed logins per address).
    ///   - standinLogin: demo mode only: serves `<path>/standin/login` for the myApps stand-in page
    ///     (see ``StandinLogin``); nil, as in `kuando serve`, serves no such route.
    public static func start(
        _ configuration: Configuration, store: any ConfigStore, policy: HubNetworkPolicy? = nil,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), limits: ConnectorEndpoint.Limits = .init(),
        logger: Logger = Logger(label: "kuando.connector"), standinLogin: StandinLogin? = nil
    ) async throws -> ConnectorServer {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let application = try ConnectorApplication.build(
            configuration, store: store, policy: policy, metrics: metrics, limits: limits, logger: logger, standinLogin: standinLogin
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

    /// The routers: the websocket at the apps' directory (and at each app's URL), the pages,
    /// `/healthz`, `/readyz`, `/metrics`, and in demo mode the stand-in's login broker.
    static func buildHTTP(
        _ configuration: Configuration, endpoint: ConnectorEndpoint, registry: SessionRegistry, store: any ConfigStore,
        metrics: MetricsExposition, standinLogin: StandinLogin? = nil, logger: Logger, onRunning: @escaping @Sendable (Int) -> Void
    ) throws -> some ApplicationProtocol {
        let router = Router(context: ConnectorRequestContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        // Ready: a PBX is linked and the config database answers. The outside learns only that;
        // what is missing goes to the log, once per change.
        let readiness = ReadinessLog(logger: logger)
        router.get("/readyz") { _, _ -> Response in
            var problems: [String] = []
            if !registry.pbxLinked { problems.append("no PBX linked: check the App object's URL and password") }
            do {
                _ = try await store.userCount()
            } catch {
                problems.append("the config database does not answer: \(error)")
            }
            readiness.note(problems)
            return Response(
                status: problems.isEmpty ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: problems.isEmpty ? "ready\n" : "not ready\n")))
        }
        router.get("/metrics") { _, _ -> Response in
            await metrics.response()
        }
        let pages = WebPages(demoMode: standinLogin != nil)
        router.get(RouterPath(configuration.normalisedPath + "/:file")) { _, context -> Response in
            guard let name = context.parameters.get("file"), let page = pages.response(for: name) else {
                throw HTTPError(.notFound, message: "no such page; the apps are \(AppNames.hidden).htm and \(AppNames.config).htm")
            }
            return page
        }
        if let standinLogin {
            addStandinRoutes(standinLogin, to: router, path: configuration.normalisedPath)
        }
        // Upgrades have a router of their own, so a page and a websocket may share a URL.
        // The websocket is the apps' directory (`/kuando` and `/kuando/` are one route) and, since
        // a PBX may connect to the App object URL itself, each app's URL with or without `.htm`.
        // A browser page may open it only from the service's own origin or one the admin allows
        // (the PBX sends no `Origin`); a refused upgrade is answered 400, and the log says why.
        let origins = BrowserOrigins(allowed: configuration.allowedOrigins)
        let originAllowed: @Sendable (Request) -> Bool = { request in
            guard origins.allows(origin: request.headers[.origin], host: request.head.authority) else {
                logger.warning(
                    "websocket refused: a web page of another origin tried to open it; if it is the apps' public address, allow it with --allow-origin",
                    metadata: ["origin": "\(request.headers[.origin] ?? "")"])
                return false
            }
            return true
        }
        let trustedProxies = configuration.trustedProxies
        let clientAddress: @Sendable (Request, ConnectorRequestContext) -> String? = { request, context in
            ClientAddress.resolve(
                peer: context.peerAddress, forwarded: request.headers[.forwarded], xForwardedFor: request.headers[.xForwardedFor], trusted: trustedProxies)
        }
        let appURLs = Set([AppNames.hidden, AppNames.config].flatMap { [$0, $0 + ".htm"] })
        let webSocketRouter = Router(context: ConnectorRequestContext.self)
        webSocketRouter.ws(RouterPath(configuration.normalisedPath)) { request, _ in
            originAllowed(request) ? .upgrade([:]) : .dontUpgrade
        } onUpgrade: { inbound, outbound, context in
            try await endpoint.serve(inbound: inbound, outbound: outbound, peerAddress: clientAddress(context.request, context.requestContext))
        }
        webSocketRouter.ws(RouterPath(configuration.normalisedPath + "/:app")) { request, context in
            appURLs.contains(context.parameters.get("app") ?? "") && originAllowed(request) ? .upgrade([:]) : .dontUpgrade
        } onUpgrade: { inbound, outbound, context in
            try await endpoint.serve(inbound: inbound, outbound: outbound, peerAddress: clientAddress(context.request, context.requestContext))
        }
        let http = HTTPServerBuilder.http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: .init(maxFrameSize: WebSocketTransportLimits.frameBytes, autoPing: .enabled(timePeriod: .seconds(30))),
            requestHeadDeadline: endpoint.limits.requestHeadDeadline
        )
        return Application(
            router: router,
            server: try configuration.tls.map { try .tls(http, tlsConfiguration: $0) } ?? http,
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
