import KuandoHub
import Logging
import Prometheus

/// One PBX domain this process serves: its user sessions and its websocket endpoint, its own
/// instance password, log lines with `instance: <domain>` and metrics with `instance="<domain>"`.
///
/// Users of different instances never meet: each instance has a registry of its own, and its
/// endpoint takes only logins of its own domain with its own password.
public final class Instance: Sendable {
    /// The PBX domain; empty for the domain-less instance of a `kuando serve` without `--domain`,
    /// which takes logins of any domain.
    public let domain: String
    public let password: String
    public let registry: SessionRegistry
    public let endpoint: ConnectorEndpoint
    let metrics: ConnectorMetrics

    init(domain: String, password: String, registry: SessionRegistry, endpoint: ConnectorEndpoint, metrics: ConnectorMetrics) {
        self.domain = domain
        self.password = password
        self.registry = registry
        self.endpoint = endpoint
        self.metrics = metrics
    }

    /// Ends the instance here: no new sessions, `Logout` to every hub, every connection closed
    /// with `reason` (the PBX reconnects, and lands at whoever serves the instance next).
    func stop(reason: String) async {
        await registry.shutdown()
        await endpoint.closeAll(reason: reason)
        metrics.zero()
    }

    /// How instance names are compared: PBX domains are case-insensitive.
    static func key(_ domain: String) -> String { domain.lowercased() }
}

/// Builds instances from what they share in one process: the store, the hub transport and
/// policy, the poll scheduler, the metrics registry, the limits and the logger.
struct InstanceFactory: Sendable {
    let store: any ConfigStore
    let policy: HubNetworkPolicy
    let transport: any HubTransport
    let pollSchedulers: HubPollSchedulers
    let metrics: PrometheusMetricsFactory
    let limits: ConnectorEndpoint.Limits
    let dataSourceName: String
    let logger: Logger

    func make(domain: String, password: String) -> Instance {
        var logger = self.logger
        if !domain.isEmpty { logger[metadataKey: "instance"] = "\(domain)" }
        let meters = ConnectorMetrics(factory: metrics, instance: domain)
        let registry = SessionRegistry(
            store: store, policy: policy, directTransport: transport, traces: TraceSink(logger: logger), dataSourceName: dataSourceName,
            metrics: meters, pollSchedulers: pollSchedulers, logger: logger)
        let endpoint = ConnectorEndpoint(password: password, domain: domain.isEmpty ? nil : domain, registry: registry, limits: limits, logger: logger)
        return Instance(domain: domain, password: password, registry: registry, endpoint: endpoint, metrics: meters)
    }
}
