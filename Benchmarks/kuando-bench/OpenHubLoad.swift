import AsyncHTTPClient
import Busylight
import Foundation
import Hummingbird
import KuandoHub
import Logging
import NIOCore
import ServiceLifecycle

/// The open hub (`kuando hub`) with a simulated lamp, under `connections` clients that each send
/// one GET after another for a while; and beside it, on the same load, a bare Hummingbird route
/// that answers the same bytes as `currentpresence` (the open hub's own cost is the difference).
struct OpenHubLoad: Codable, Sendable {
    struct Result: Codable, Sendable {
        var query: String
        var requests: Int
        var errors: Int
        var requestsPerSecond: Double
        var latency: LatencySummary
    }

    var connections: Int
    var light: Result
    var currentPresence: Result
    /// A bare Hummingbird route answering `currentpresence`'s bytes.
    var bareRoute: Result
    /// `currentPresence` requests per second ÷ `bareRoute`'s.
    var currentPresenceToBare: Double

    static func measure(connections: Int, duration: Duration, logger: Logger) async throws -> OpenHubLoad {
        let hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [SimulatedLamp()]), logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = OpenHubServer.buildApplication(hub: hub, configuration: .init(host: "127.0.0.1", port: 0), logger: logger) { port in
            portSink.yield(port)
            portSink.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let running = Task { try await group.run() }
        var port = 0
        for await bound in ports { port = bound }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let base = "http://127.0.0.1:\(port)/"
        let light = try await run(client: client, url: base + "?action=light&red=100&green=0&blue=0", query: "action=light", connections: connections, duration: duration)
        let presence = try await run(client: client, url: base + "?action=currentpresence", query: "action=currentpresence", connections: connections, duration: duration)
        let reply = try await client.execute(HTTPClientRequest(url: base + "?action=currentpresence"), timeout: .seconds(5))
        let contentType = reply.headers.first(name: "Content-Type") ?? "application/json"
        let body = try await reply.body.collect(upTo: 1 << 16)
        await group.triggerGracefulShutdown()
        _ = try? await running.value

        let bare = try await withBareRoute(answering: body, contentType: contentType, logger: logger) { port in
            try await run(client: client, url: "http://127.0.0.1:\(port)/?action=currentpresence", query: "bare route", connections: connections, duration: duration)
        }
        try await client.shutdown()
        return OpenHubLoad(
            connections: connections, light: light, currentPresence: presence, bareRoute: bare,
            currentPresenceToBare: bare.requestsPerSecond > 0 ? presence.requestsPerSecond / bare.requestsPerSecond : 0)
    }

    /// Runs `body` with a Hummingbird server on loopback whose one route answers `reply`.
    private static func withBareRoute<T: Sendable>(
        answering reply: ByteBuffer, contentType: String, logger: Logger, _ body: (Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.get("/") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: reply))
        }
        let (port, runner) = await serveOnLoopback(router, logger: logger)
        let result: Swift.Result<T, any Error>
        do {
            result = .success(try await body(port))
        } catch {
            result = .failure(error)
        }
        runner.cancel()
        _ = try? await runner.value
        return try result.get()
    }

    private static func run(client: HTTPClient, url: String, query: String, connections: Int, duration: Duration) async throws -> Result {
        let start = ContinuousClock.now
        let deadline = start + duration
        let (latencies, errors) = try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var mine: [Duration] = []
                    var failed = 0
                    while ContinuousClock.now < deadline {
                        let sent = ContinuousClock.now
                        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
                        _ = try await response.body.collect(upTo: 1 << 16)
                        mine.append(.now - sent)
                        if response.status != .ok { failed += 1 }
                    }
                    return (mine, failed)
                }
            }
            var all: [Duration] = []
            var failures = 0
            for try await (some, failed) in group {
                all += some
                failures += failed
            }
            return (all, failures)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        return Result(
            query: query, requests: latencies.count, errors: errors,
            requestsPerSecond: Double(latencies.count) / elapsed, latency: LatencySummary(latencies))
    }
}
