import KuandoHub
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The composition root: everything `kuando serve` runs, built from its configuration, as
/// services of one `ServiceGroup` (the way hummingbird's `Application` and hummingbird-examples'
/// `buildApplication` do it).
///
/// The services, in the order they start: the config store (PostgreSQL's connection pool runs
/// in it), the HTTP client for remote hubs,
/// the HTTP listener (websocket, pages, health, metrics), the session registry. A graceful
/// shutdown (SIGTERM, SIGINT, ``ConnectorServer/stop()``) runs the other way: the registry takes
/// no new sessions and sends `Logout` to every hub (relayed ones still reach their hidden app),
/// the listener closes its connections, the client closes, the store's connections close. It is bounded by
/// ``shutdownGrace``; what has not ended by then is cancelled. If the listener cannot start,
/// the group ends with its error, and `kuando serve` exits non-zero.
///
/// ```swift
/// let application = try ConnectorApplication.build(configuration, store: store, logger: logger)
/// try await application.serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
/// ```
public struct ConnectorApplication: Sendable {
    public let configuration: ConnectorServer.Configuration
    public let registry: SessionRegistry
    public let endpoint: ConnectorEndpoint
    public let store: any ConfigStore
    /// Started in this order, stopped in the reverse one.
    public let services: [any Service]

    /// How long a graceful shutdown may take before what is left is cancelled: long enough for
    /// `Logout` to every hub (each bounded by the hub client's timeout) and for peers to answer
    /// the websocket close; a peer that never does is cut off.
    public static let shutdownGrace = Duration.seconds(5)

    /// Builds the application; nothing runs until its service group does.
    /// - Parameters:
    ///   - policy: overrides the policy built from the configuration's networks (tests inject a resolver).
    ///   - metrics: where the service's metrics go and what `/metrics` shows.
    ///   - limits: what a peer gets before its login (deadlines, failed logins per address).
    ///   - standinLogin: demo mode only: the myApps stand-in's login broker (``StandinLogin``).
    ///   - onRunning: learns the port the listener bound.
    public static func build(
        _ configuration: ConnectorServer.Configuration, store: any ConfigStore, policy: HubNetworkPolicy? = nil,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), limits: ConnectorEndpoint.Limits = .init(),
        logger: Logger = Logger(label: "kuando.connector"), standinLogin: StandinLogin? = nil,
        onRunning: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> ConnectorApplication {
        let transport = HTTPHubTransport()
        let meters = ConnectorMetrics(factory: ConnectorMetrics.factory(registry: metrics))
        let registry = SessionRegistry(
            store: store,
            policy: policy ?? HubNetworkPolicy(allowed: configuration.allowedHubNetworks, localHubsDirect: configuration.localHubsDirect),
            directTransport: transport, traces: TraceSink(logger: logger), dataSourceName: configuration.dataSourceName, metrics: meters,
            logger: logger)
        let endpoint = ConnectorEndpoint(password: configuration.password, domain: configuration.domain, registry: registry, limits: limits, logger: logger)
        let http = try ConnectorServer.buildHTTP(
            configuration, endpoint: endpoint, registry: registry, store: store,
            metrics: MetricsExposition(registry: metrics, metrics: meters, sessions: registry), standinLogin: standinLogin, logger: logger,
            onRunning: onRunning)
        return ConnectorApplication(
            configuration: configuration, registry: registry, endpoint: endpoint, store: store,
            services: [store, ClosingService(name: "hub client") { try await transport.shutdown() }, http, registry])
    }

    /// The group that runs the application; `gracefulShutdownSignals` start its graceful shutdown.
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal], logger: Logger) -> ServiceGroup {
        .kuando(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
    }
}

extension ServiceGroup {
    /// How `kuando serve` and `kuando hub` run their services, so both stop the same way: a
    /// graceful shutdown on `gracefulShutdownSignals`, bounded by
    /// ``ConnectorApplication/shutdownGrace``, then cancellation.
    public static func kuando(services: [any Service], gracefulShutdownSignals: [UnixSignal], logger: Logger) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        configuration.maximumGracefulShutdownDuration = ConnectorApplication.shutdownGrace
        configuration.maximumCancellationDuration = .seconds(5)
        return ServiceGroup(configuration: configuration)
    }
}

/// A service that holds something open until the graceful shutdown, then closes it.
struct ClosingService: Service, CustomStringConvertible {
    let name: String
    let close: @Sendable () async throws -> Void

    var description: String { name }

    func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }
}
