import AppWebsocket
import AsyncHTTPClient
import Foundation
import KuandoSync
import PBXSimulator
import Testing
import TestSupport
@testable import ConnectorService

/// `/metrics` (Prometheus text) and `/readyz` of the running service, driven by the PBX simulator.
@Suite(.serialized) struct MetricsTests {
    /// GETs `path` from the service; status and body.
    static func get(_ path: String, port: Int) async throws -> (status: UInt, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: body))
    }

    /// The value of the sample `series` (name with labels, as written) in a Prometheus text page.
    static func sample(_ series: String, in page: String) -> Double? {
        for line in page.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == series { return Double(parts[1]) }
        }
        return nil
    }

    /// A series of the rig's instance as `/metrics` writes it: `name{instance="example.com",…}`.
    static func series(_ name: String, _ labels: String = "", instance: String = "example.com") -> String {
        "\(name){instance=\"\(instance)\"\(labels.isEmpty ? "" : "," + labels)}"
    }

    /// Scrapes `/metrics` until `condition` holds, and returns that page; when it never does,
    /// records the last page and throws.
    @discardableResult
    static func metrics(port: Int, _ what: String, until condition: (String) -> Bool) async throws -> String {
        var page = ""
        do {
            return try await pollFor("/metrics shows \(what)", every: .milliseconds(50)) {
                page = try await get("/metrics", port: port).body
                return condition(page) ? page : nil
            }
        } catch {
            Issue.record("last page of /metrics:\n\(page)")
            throw error
        }
    }

    @Test func aPBXCallMovesTheCountersInMetrics() async throws {
        try await ServiceRig.run { rig in
            let port = rig.server.port
            let idle = try await Self.get("/metrics", port: port)
            #expect(idle.status == 200)
            #expect(Self.sample(Self.series("kuando_pbx_connected"), in: idle.body) == 1, "\(idle.body)")
            #expect(Self.sample(Self.series("kuando_calls_active"), in: idle.body) == 0)

            try await rig.useOpenHub(for: "alice")
            try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
            let connected = try await Self.get("/metrics", port: port).body
            let okBefore = try #require(Self.sample(Self.series("kuando_hub_requests_total", #"result="ok""#), in: connected), "\(connected)")
            #expect(okBefore > 0, "registering the data source is a hub request")
            #expect(Self.sample(Self.series("kuando_users"), in: connected).map { $0 >= 1 } == true)

            let call = try await rig.pbx.startIncomingCall(to: "alice", from: "0301234")
            try await rig.pbx.alert(call)
            try await rig.lampShows("ringing") { $0.effect != nil && $0.effect != .off }
            let ringing = try await Self.metrics(port: port, "one active call and more hub requests") { page in
                Self.sample(Self.series("kuando_calls_active"), in: page) == 1
                    && (Self.sample(Self.series("kuando_hub_requests_total", #"result="ok""#), in: page) ?? 0) > okBefore
            }
            let requests = Self.sample(Self.series("kuando_hub_requests_total", #"result="ok""#), in: ringing) ?? 0
            let timed = Self.sample(Self.series("kuando_hub_request_duration_seconds_count"), in: ringing) ?? 0
            #expect(timed >= requests, "every hub request is timed: \(timed) timed, \(requests) ok")
            #expect(ringing.contains(#"kuando_hub_request_duration_seconds_bucket{instance="example.com",le="0.001"}"#), "hub latency buckets start at 1 ms")

            try await rig.pbx.connect(call)
            try await rig.pbx.hangUp(call)
            try await rig.lampShows("nothing once the call ended") { $0.effect == nil || $0.effect == .off }
            try await Self.metrics(port: port, "no active call after the hang-up") { Self.sample(Self.series("kuando_calls_active"), in: $0) == 0 }
        }
    }

    @Test func anUnreachableHubCountsAsBackoffAndUnreachableRequests() async throws {
        try await ServiceRig.run { rig in
            // Port 1 on loopback: nothing listens there, so the link backs off.
            try await rig.withApp("alice") { connection in
                let answer = try await connection.request(Frame(AppAPI.SetConfig(config: ["hubUrl": .string("http://hub.test:1/")])))
                #expect(answer.object["ok"]?.boolValue == true, "\(answer)")
            }
            try await Self.metrics(port: rig.server.port, "a hub link in backoff and an unreachable request") { page in
                Self.sample(Self.series("kuando_hub_links_backoff"), in: page) == 1
                    && (Self.sample(Self.series("kuando_hub_requests_total", #"result="unreachable""#), in: page) ?? 0) >= 1
            }
        }
    }

    @Test func readyzAsksOnlyTheStoreAndTheAdminListSaysWhichPBXIsLinked() async throws {
        try await ServiceRig.run { rig in
            let ready = try await Self.get("/readyz", port: rig.server.port)
            #expect(ready.status == 200 && ready.body == "ready\n", "\(ready)")
            #expect(try await Self.get("/admin/instances", port: rig.server.port).body.contains(#""pbxLinked" : true"#))
            await rig.pbx.disconnect()
            let listed = try await pollFor("/admin/instances shows the PBX gone", every: .milliseconds(50)) {
                let page = try await Self.get("/admin/instances", port: rig.server.port).body
                return page.contains(#""pbxLinked" : false"#) ? page : nil
            }
            #expect(listed.contains(#""domain" : "example.com""#), "\(listed)")
            // One instance without its PBX does not make the process unready for the others.
            let stillReady = try await Self.get("/readyz", port: rig.server.port)
            #expect(stillReady.status == 200, "\(stillReady)")
        }
    }

    @Test func readyzNeedsAnOpenStore() async throws {
        let logs = LogCapture()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-ready-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
        let server = try await ConnectorServer.start(.init(port: 0, password: "pw"), store: store, logger: logs.logger)
        let open = try await Self.get("/readyz", port: server.port)
        #expect(open.status == 200 && open.body == "ready\n", "\(open)")
        #expect(!logs.entries(atLeast: .warning).contains { $0.message.contains("database") })
        try store.close()
        let closed = try await Self.get("/readyz", port: server.port)
        #expect(closed.status == 503 && closed.body == "not ready\n", "\(closed)")
        #expect(logs.entries(atLeast: .warning).contains { $0.message.contains("the config database does not answer") })
        await server.stop()
    }

    @Test func eachServerKeepsItsOwnMetrics() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-metrics-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let other = try await ConnectorServer.start(
                .init(port: 0, password: "pw"), store: try SQLiteConfigStore(path: folder.appendingPathComponent("c.sqlite").path), logger: ServiceRig.quiet)
            let page = try await Self.get("/metrics", port: other.port).body
            await other.stop()
            #expect(Self.sample(Self.series("kuando_hub_requests_total", #"result="ok""#, instance: ""), in: page) == 0, "\(page)")
            #expect(Self.sample(Self.series("kuando_pbx_connected", instance: ""), in: page) == 0)
            #expect(Self.sample(Self.series("kuando_hub_requests_total", #"result="ok""#), in: page) == nil, "the rig's instance is not this server's")
        }
    }
}
