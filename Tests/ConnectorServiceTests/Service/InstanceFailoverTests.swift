import AppWebsocket
import Busylight
import Foundation
import KuandoHub
import KuandoStage
import PBXSimulator
import ServiceLifecycle
import TestSupport
import Testing
@testable import ConnectorService

/// Several processes on one PostgreSQL database: one serves an instance, the others say who.
@Suite(.postgresServer, .serialized) struct InstanceFailoverTests {
    @Test func aSecondServiceNamesTheOwnerAndTakesOverWhenItStops() async throws {
        let database = try await TestDatabase.make(.postgres)
        let configuration = ConnectorServer.Configuration(port: 0, domain: "a.example", password: ServiceRig.password)
        let first = try await ConnectorServer.start(configuration, store: try await database.open(), logger: ServiceRig.testLogger, process: "first")
        let second = try await ConnectorServer.start(configuration, store: try await database.open(), logger: ServiceRig.testLogger, process: "second")
        guard case .elsewhere(let owner) = second.instances.place(of: "a.example") else {
            Issue.record("both services serve a.example")
            await second.stop()
            await first.stop()
            return
        }
        #expect(owner == "first")
        let refused = try await InstanceTests.get("/a.example/kuando/\(AppNames.hidden)", port: second.port)
        #expect(refused.status == 503 && refused.headers["kuando-instance-owner"] == "first" && refused.body.contains("served by first"), "\(refused)")
        let legacy = try await InstanceTests.get("/kuando/\(AppNames.hidden)", port: second.port)
        #expect(legacy.status == 503, "the apps' directory itself is the same instance")

        await first.stop()
        #expect(await eventually(timeout: .seconds(15)) { if case .here = second.instances.place(of: "a.example") { true } else { false } })
        let served = try await InstanceTests.get("/a.example/kuando/\(AppNames.hidden)", port: second.port)
        #expect(served.status == 200)
        await second.stop()
    }

    /// Two `kuando serve` processes on one PostgreSQL database; the owner is SIGKILLed mid-call.
    @Test func whenTheOwnerIsKilledMidCallTheInstanceMovesAndTheLampEndsRight() async throws {
        let database = try await TestDatabase.make(.postgres)
        let lamp = SimulatedLamp(path: "simulated:0")
        let hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: ServiceRig.quiet)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let hubGroup = ServiceGroup(configuration: .init(services: [OpenHubServer.buildApplication(
            hub: hub, configuration: .init(host: "127.0.0.1", port: 0), logger: ServiceRig.quiet
        ) { port in
            portSink.yield(port)
            portSink.finish()
        }], logger: ServiceRig.quiet))
        let hubRunner = Task { try await hubGroup.run() }
        defer { hubRunner.cancel() }
        var hubPort = 0
        for await port in ports { hubPort = port }

        let password = ServiceRig.password + "-shared-1234"
        let arguments = [
            "serve", "--port", "0", "--listen", "127.0.0.1", "--db", database.url, "--domain", "a.example", "--password", password, "--direct-local-hubs",
        ]
        let first = try RunningKuando(arguments)
        let portA = try await Self.port(of: first)
        let second = try RunningKuando(arguments)
        let portB = try await Self.port(of: second)
        let url = { (port: Int) in "ws://127.0.0.1:\(port)/a.example/kuando/\(AppNames.hidden)" }
        let alice = SimulatedUser(sip: "alice", guid: ServiceRig.alice.guid, dn: "Alice")
        let pbx = PBXSimulator(
            configuration: .init(serviceURL: url(portA), password: password, domain: "a.example", testMode: true), users: [alice], logger: ServiceRig.testLogger)
        await pbx.start()
        try await pbx.waitUntil { $0.appInfoResult != nil }

        // The user's hub, set through the first process and acknowledged.
        let hubUrl = "http://localhost:\(hubPort)/"
        try await Self.withApp(pbx, port: portA) { connection in
            let answer = try await connection.request(AppAPI.SetConfig(config: ["hubUrl": .string(hubUrl)])).decode(AppAPI.SetConfigResult.self)
            #expect(answer.ok, "\(answer)")
        }
        let call = try await pbx.startIncomingCall(to: "alice", from: "0301234")
        try await pbx.alert(call)
        try await pbx.connect(call)
        try await Self.lamp(lamp, "busy in the call", second) { if case .solid = $0.effect { true } else { false } }

        try await first.kill()
        try await pbx.waitUntil { !$0.connected }
        // The PBX reconnects; a reverse proxy routes it to the process that took the instance
        // over, which refuses it (503) until then.
        let linked = await eventually(timeout: .seconds(20)) {
            await pbx.connect(to: url(portB))
            return (try? await pbx.waitUntil(timeout: .seconds(2)) { $0.appInfoResult != nil }) != nil
        }
        #expect(linked, "the second process took the instance over: \(second.stderr)")
        // myApps reconnects the user's apps too (their websockets broke with the process): the
        // new owner reads the settings the first one acknowledged.
        try await Self.withApp(pbx, port: portB) { connection in
            let read = try await connection.request(AppAPI.GetConfig()).decode(AppAPI.GetConfigResult.self)
            #expect(read.config.hubUrl == hubUrl, "\(read)")
        }

        // The call ends at the new owner, with the hub the first process stored.
        try await pbx.hangUp(call)
        try await Self.lamp(lamp, "off after the call", second) { $0.effect == nil || $0.effect == .off }
        let next = try await pbx.startIncomingCall(to: "alice", from: "0307654")
        try await pbx.alert(next)
        try await Self.lamp(lamp, "ringing", second) { if case .blink = $0.effect { true } else { false } }
        try await pbx.hangUp(next)
        try await Self.lamp(lamp, "off at the end", second) { $0.effect == nil || $0.effect == .off }
        try await database.withStore { store in
            let stored = try await store.config(for: UserKey(domain: "a.example", guid: alice.guid))
            #expect(stored?.hubUrl == hubUrl)
        }
        await pbx.disconnect()
        #expect(try await second.stop() == 0)
        await hubGroup.triggerGracefulShutdown()
    }

    /// Waits until `lamp` shows `what`; says what the new owner logged when it does not.
    static func lamp(_ lamp: SimulatedLamp, _ what: String, _ owner: RunningKuando, _ condition: @escaping @Sendable (SimulatedLampSnapshot) -> Bool) async throws {
        do {
            _ = try await lamp.waitUntil(timeout: .seconds(10), condition)
        } catch {
            Issue.record("the lamp never showed \(what): \(error); the second process logged: \(owner.stderr)")
            throw error
        }
    }

    /// Alice's config app at the process on `port`, its login brokered by `pbx`.
    static func withApp(_ pbx: PBXSimulator, port: Int, _ body: @escaping @Sendable (AppWebsocketConnection) async throws -> Void) async throws {
        try await AppWebsocketConnection.connect(to: "ws://127.0.0.1:\(port)/a.example/kuando/\(AppNames.config)", logger: ServiceRig.testLogger) { connection in
            let login = try await connection.login { challenge in try await pbx.appLogin(user: "alice", app: "kuando-config", challenge: challenge).appLogin }
            #expect(login.ok)
            try await body(connection)
            await connection.close()
        }
    }

    /// The port a `kuando serve` child listens on, from its banner.
    static func port(of service: RunningKuando) async throws -> Int {
        let line = try await service.waitFor("the listening line") { $0.contains("listening on port") }
        return try #require(line.split(separator: " ").compactMap { Int($0) }.first, "\(line)")
    }
}

