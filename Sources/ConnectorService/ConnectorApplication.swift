import Foundation
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
/// in it), the HTTP client for remote hubs, the HTTP listener (websockets, pages, health,
/// metrics, the admin's instance list), the instance keeper, which claims the instances and
/// runs a session registry per instance served here. A graceful shutdown (SIGTERM, SIGINT,
/// ``ConnectorServer/stop()``) runs the other way: each instance's registry takes
/// no new sessions and sends `Logout` to every hub (relayed ones still reach their hidden app),
/// the keeper gives its claims up,
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
    /// Every instance this process knows, and where each is served.
    public let instances: InstanceDirectory
    /// Claims the instances and starts and stops them (``InstanceKeeper``).
    public let keeper: InstanceKeeper
    public let store: any ConfigStore
    /// Started in this order, stopped in the reverse one.
    public let services: [any Service]

    /// How long a graceful shutdown may take before what is left is cancelled: long enough for
    /// `Logout` to every hub (each bounded by the hub client's timeout) and for peers to answer
    /// the websocket close; a peer that never does is cut off.
    public static let shutdownGrace = Duration.seconds(5)

    /// The primary instance: the one of `configuration.domain` (the domain-less one without),
    /// served at the apps' directory itself. Only while this process serves it; a process that
    /// shares its store with others may not (``instances``).
    public var primary: Instance {
        guard let primary = instances.primary else {
            preconditionFailure("the primary instance \(instances.primaryDomain) is not served by this process (see instances)")
        }
        return primary
    }

    /// Builds the application; nothing runs until its service group does.
    /// - Parameters:
    ///   - policy: overrides the policy built from the configuration's networks (tests inject a resolver).
    ///   - metrics: where the service's metrics go and what `/metrics` shows.
    ///   - limits: what a peer gets before its login (deadlines, failed logins per address).
    ///   - standinLogin: demo mode only: the myApps stand-in's login broker (``StandinLogin``).
    ///   - process: this process's name as other processes sharing the store see it.
    ///   - onRunning: learns the port the listener bound.
    public static func build(
        _ configuration: ConnectorServer.Configuration, store: any ConfigStore, policy: HubNetworkPolicy? = nil,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), limits: ConnectorEndpoint.Limits = .init(),
        logger: Logger = Logger(label: "kuando.connector"), standinLogin: StandinLogin? = nil, process: String = processName,
        onRunning: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> ConnectorApplication {
        let transport = HTTPHubTransport()
        let factory = InstanceFactory(
            store: store,
            policy: policy ?? HubNetworkPolicy(allowed: configuration.allowedHubNetworks, localHubsDirect: configuration.localHubsDirect),
            transport: transport, pollSchedulers: HubPollSchedulers(), metrics: ConnectorMetrics.factory(registry: metrics), limits: limits,
            dataSourceName: configuration.dataSourceName, logger: logger)
        let primaryDomain = configuration.domain ?? ""
        let instances = InstanceDirectory(primaryDomain: primaryDomain)
        let keeper = InstanceKeeper(
            directory: instances, claims: store.makeClaims(owner: process), store: store, factory: factory,
            primary: (primaryDomain, configuration.password), logger: logger)
        let http = try ConnectorRoutes.build(
            configuration, instances: instances, process: process, store: store, metrics: MetricsExposition(registry: metrics, instances: instances),
            standinLogin: standinLogin, requestHeadDeadline: limits.requestHeadDeadline, logger: logger, onRunning: onRunning)
        return ConnectorApplication(
            configuration: configuration, instances: instances, keeper: keeper, store: store,
            services: [store, ClosingService(name: "hub client") { try await transport.shutdown() }, http, keeper])
    }

    /// This process as other processes sharing its store name it: `<host> pid <pid>`.
    public static var processName: String {
        "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)"
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
