import KuandoHub

/// Counts every request of the transport it wraps by result, and times it, for `/metrics`.
/// Cancelled requests are not counted: they say nothing about the hub.
struct MeteredHubTransport: HubTransport {
    let base: any HubTransport
    let metrics: ConnectorMetrics

    func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await base.send(request)
            metrics.recordHubRequest(HubRequestResult(status: response.status), duration: clock.now - start)
            return response
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            metrics.recordHubRequest(.unreachable, duration: clock.now - start)
            throw error
        }
    }
}
