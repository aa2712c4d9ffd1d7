import AppWebsocket
import Busylight
import Foundation
import KuandoHub
import KuandoSync
import Logging
import PBXSimulator
import ServiceLifecycle
import Testing
@testable import ConnectorService

/// The whole chain on loopback: the open hub with a simulated lamp, the service (SQLite in a temp
/// dir), and the PBX simulator connected to it. Hubs named `hub.test` resolve to 127.0.0.1 and
/// 127.0.0.0/8 is allowed, so the service calls the open hub directly.
struct ServiceRig: Sendable {
    let lamp: SimulatedLamp
    let hub: OpenHub
    let hubURL: String
    let server: ConnectorServer
    let pbx: PBXSimulator

    static let password = "instance-pw"
    /// Silent, unless KUANDO_TEST_LOG is set (then everything goes to stderr, for diagnosing a failure).
    static let quiet: Logger = {
        guard ProcessInfo.processInfo.environment["KUANDO_TEST_LOG"] != nil else { return Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }
        var logger = Logger(label: "test") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .debug
        return logger
    }()

    static let alice = SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice")
    static let bob = SimulatedUser(sip: "bob", guid: "22222222222222222222222222222222", dn: "Bob", licensed: false)

    /// Runs `body` with everything up, then takes it all down.
    /// - Parameters:
    ///   - store: the service's config store (closed by the service); a fresh SQLite file when nil.
    ///   - limits: the service's limits before a login; `serviceLogger`: where the service logs.
    static func run(
        users: [SimulatedUser] = [alice, bob], grantedAPIs: [String] = PBXSimulatorConfiguration.allAPIs, store: (any ConfigStore)? = nil,
        limits: ConnectorEndpoint.Limits = .init(), serviceLogger: Logger = quiet,
        configure: (inout ConnectorServer.Configuration) -> Void = { _ in },
        _ body: @Sendable (ServiceRig) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-rig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lamp = SimulatedLamp()
        let hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: quiet)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let hubApp = OpenHubServer.buildApplication(hub: hub, configuration: .init(host: "127.0.0.1", port: 0, access: OpenHubAccess(token: nil), hostNames: ["hub.test"]), logger: quiet) { port in
            portSink.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [hubApp], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let hubPort = try #require(await iterator.next())
            let store = try store ?? SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
            let policy = HubNetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!]) { host in host == "hub.test" ? [IPAddress("127.0.0.1")!] : [] }
            var configuration = ConnectorServer.Configuration(port: 0, domain: "example.com", password: password)
            configure(&configuration)
            let server = try await ConnectorServer.start(configuration, store: store, policy: policy, limits: limits, logger: serviceLogger)
            let pbx = PBXSimulator(
                configuration: .init(serviceURL: "ws://127.0.0.1:\(server.port)/kuando/", password: password, grantedAPIs: grantedAPIs),
                users: users, logger: quiet)
            let rig = ServiceRig(lamp: lamp, hub: hub, hubURL: "http://hub.test:\(hubPort)/", server: server, pbx: pbx)
            do {
                await pbx.start()
                try await pbx.waitUntil { $0.appInfoResult != nil }
                try await body(rig)
            } catch {
                await pbx.disconnect()
                await server.stop()
                await group.triggerGracefulShutdown()
                throw error
            }
            await pbx.disconnect()
            await server.stop()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Logs in to the service as `user`'s app (flow C, brokered by the simulated PBX), runs `body`
    /// with the connection, then closes it.
    /// `path` is the URL path the app connects to (the apps' directory unless a test says otherwise).
    func withApp(
        _ user: String, _ app: String = AppNames.config, path: String = "/kuando/", _ body: @escaping @Sendable (AppWebsocketConnection) async throws -> Void
    ) async throws {
        let pbx = self.pbx
        try await AppWebsocketConnection.connect(to: "ws://127.0.0.1:\(server.port)\(path)", configuration: .init(requestTimeout: .seconds(10)), logger: Self.quiet) { connection in
            let result = try await connection.login { challenge in try await pbx.appLogin(user: user, app: app, challenge: challenge).appLogin }
            #expect(result.ok)
            try await body(connection)
            await connection.close()
        }
    }

    /// Waits until the lamp shows what `condition` accepts.
    @discardableResult
    func lampShows(_ what: String, _ condition: @escaping @Sendable (SimulatedLampSnapshot) -> Bool) async throws -> SimulatedLampSnapshot {
        do {
            return try await lamp.waitUntil(timeout: .seconds(10), condition)
        } catch {
            let sessions = await server.registry.userCount
            Issue.record("the lamp never showed \(what): \(error); sessions: \(sessions); PBX events: \(await pbx.state.events)")
            throw error
        }
    }

    /// Points `user`'s hub at the open hub (direct) through the config app.
    func useOpenHub(for user: String) async throws {
        let url = hubURL
        try await withApp(user) { connection in
            let answer = try await connection.request(Frame(AppAPI.SetConfig(config: ["hubUrl": .string(url)])))
            #expect(answer.object["ok"]?.boolValue == true, "\(answer)")
        }
    }

    /// Waits until the service's session of `user` reports a condition on its status.
    func status(of user: SimulatedUser, _ condition: @escaping @Sendable (SessionStatus) -> Bool) async throws {
        let key = UserKey(domain: "example.com", guid: user.guid)
        let session = try await server.registry.session(for: key)
        let updates = await session.statusUpdates()
        let held = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await status in updates where condition(status) { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !held { Issue.record("status of \(user.sip) never held; last: \(await session.status)") }
    }
}

extension BusylightColor {
    static let red100 = BusylightColor(red: 100, green: 0, blue: 0)
}
