import Hummingbird
import NIOCore
import Prometheus

/// `/metrics`: refreshes the gauges of every instance served here from its sessions, then writes
/// the registry in Prometheus' text format.
struct MetricsExposition: Sendable {
    let registry: PrometheusCollectorRegistry
    let instances: InstanceDirectory

    func response() async -> Response {
        for instance in instances.served {
            await instance.metrics.refresh(from: instance.registry)
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
