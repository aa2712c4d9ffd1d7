import Prometheus

extension ConnectorMetrics {
    /// A swift-metrics factory writing into `registry`, with histogram buckets that suit hub
    /// requests on a LAN (1 ms to 5 s).
    ///
    /// ```swift
    /// let registry = PrometheusCollectorRegistry()
    /// MetricsSystem.bootstrap(ConnectorMetrics.factory(registry: registry))
    /// ```
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[hubRequestDurationName] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        ]
        return factory
    }
}
