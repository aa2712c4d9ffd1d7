import Hummingbird
import NIOCore
import Prometheus

/// `/metrics`: refreshes the gauges from the sessions, then writes the registry in Prometheus'
/// text format.
struct MetricsExposition: Sendable {
    let registry: PrometheusCollectorRegistry
    let metrics: ConnectorMetrics
    let sessions: SessionRegistry

    func response() async -> Response {
        await metrics.refresh(from: sessions)
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
