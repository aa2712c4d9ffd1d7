import Foundation
import Hummingbird
import HummingbirdWebSocket
import KuandoHub
import Logging
import NIOCore
import Synchronization
import WSClient

/// The machine's own floor for the service's path, measured beside the service in the same run:
/// a bare HTTP request through the service's client stack (``HTTPHubTransport``, AsyncHTTPClient)
/// to the sink, and a bare websocket text frame to an echo server.
struct LoopbackLimit: Codable, Sendable {
    /// Request start → the sink's handler runs.
    var httpOneWay: LatencySummary
    var httpRoundTrip: LatencySummary
    /// Frame written → the server's handler has it.
    var websocketOneWay: LatencySummary
    var websocketRoundTrip: LatencySummary
    /// Websocket one-way + HTTP one-way: what the service's path costs with no service in it.
    var path: LatencySummary

    /// Sends `count` bare requests and `count` bare frames, one at a time, `spacing` apart: the
    /// service's events arrive spaced too, so both pay the same wake-ups of idle threads.
    static func measure(sink: HubSink, sinkPort: Int, count: Int, spacing: Duration, logger: Logger) async throws -> LoopbackLimit {
        let transport = HTTPHubTransport()
        var starts: [ContinuousClock.Instant] = []
        var httpRoundTrips: [Duration] = []
        sink.startRecording()
        let request = HubHTTPRequest(method: .get, baseURL: "http://127.0.0.1:\(sinkPort)/bare")
        for _ in 0..<count {
            try await Task.sleep(for: spacing, tolerance: .zero)
            let start = ContinuousClock.now
            _ = try await transport.send(request)
            httpRoundTrips.append(.now - start)
            starts.append(start)
        }
        let arrivals = sink.stopRecording().bare
        try await transport.shutdown()
        let httpOneWay = zip(starts, arrivals).map { $1 - $0 }
        let (websocketOneWay, websocketRoundTrip) = try await websocket(count: count, spacing: spacing, logger: logger)
        let http = LatencySummary(httpOneWay)
        let ws = LatencySummary(websocketOneWay)
        return LoopbackLimit(
            httpOneWay: http, httpRoundTrip: LatencySummary(httpRoundTrips), websocketOneWay: ws,
            websocketRoundTrip: LatencySummary(websocketRoundTrip), path: ws + http)
    }

    /// A frame the size of a `CallInfo`, echoed by a Hummingbird websocket server.
    private static func websocket(count: Int, spacing: Duration, logger: Logger) async throws -> (oneWay: [Duration], roundTrip: [Duration]) {
        let received = Mutex<[ContinuousClock.Instant]>([])
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/echo") { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 16) {
                received.withLock { $0.append(.now) }
                if case .text(let text) = message { try await outbound.write(.text(text)) }
            }
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var port = 0
        for await bound in ports { port = bound }
        let frame = #"{"mt":"CallInfo","api":"RCC","src":"1","user":1,"call":1,"state":133,"msg":"x-conn","peer":{"e164":"0301234","dn":""},"no":[{"type":"peer","e164":"0301234"}]}"#
        let samples = Mutex<(starts: [ContinuousClock.Instant], roundTrips: [Duration])>(([], []))
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/echo", logger: logger) { inbound, outbound, _ in
            var replies = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
            for _ in 0..<count {
                try await Task.sleep(for: spacing, tolerance: .zero)
                let start = ContinuousClock.now
                try await outbound.write(.text(frame))
                guard try await replies.next() != nil else { break }
                let roundTrip = ContinuousClock.now - start
                samples.withLock {
                    $0.starts.append(start)
                    $0.roundTrips.append(roundTrip)
                }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        server.cancel()
        _ = try? await server.value
        let arrivals = received.withLock { $0 }
        return samples.withLock { samples in
            (zip(samples.starts, arrivals).map { $1 - $0 }, samples.roundTrips)
        }
    }
}
