import AppWebsocket
import Busylight
import Foundation
import KuandoHub
import KuandoStage
import KuandoSync
import Logging
import PBXSimulator
import Testing
import TestSupport
@testable import ConnectorService

/// The service's tests stand on the loopback stage: the open hub with a simulated lamp (at
/// `hub.test`, which the service resolves to 127.0.0.1 in an allowed network), the service
/// (SQLite in a temp dir) and the PBX simulator linked to it.
typealias ServiceRig = LoopbackStage

extension LoopbackStage {
    static let password = "instance-pw"
    /// Silent, unless KUANDO_TEST_LOG is set (then everything goes to stderr, for diagnosing a failure).
    static let testLogger: Logger = {
        guard ProcessInfo.processInfo.environment["KUANDO_TEST_LOG"] != nil else { return LoopbackStage.quiet }
        var logger = Logger(label: "test") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .debug
        return logger
    }()

    static let alice = SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice")
    static let bob = SimulatedUser(sip: "bob", guid: "22222222222222222222222222222222", dn: "Bob", licensed: false)

    /// Runs `body` with everything up, then takes it all down.
    static func run(
        users: [SimulatedUser] = [alice, bob], grantedAPIs: [String] = PBXSimulatorConfiguration.allAPIs, store: (any ConfigStore)? = nil,
        limits: ConnectorEndpoint.Limits = .init(), serviceLogger: Logger = testLogger,
        configure: @escaping @Sendable (inout ConnectorServer.Configuration) -> Void = { _ in },
        _ body: @Sendable (LoopbackStage) async throws -> Void
    ) async throws {
        try await run(
            .init(
                users: users, grantedAPIs: grantedAPIs, store: store, password: password, limits: limits, serviceLogger: serviceLogger,
                logger: testLogger, configure: configure),
            body)
    }

    /// Points `user`'s hub at the open hub (direct) through the config app.
    func useOpenHub(for user: String) async throws {
        try await setConfig(for: user, ["hubUrl": .string(hubURL)])
    }

    /// Points `user`'s hub at the open hub as `localhost`, the hub on the user's PC, which the
    /// service reaches only through the user's hidden app.
    func useHubOnUsersPC(for user: String, _ more: JSONObject = [:]) async throws {
        let port = try #require(URLComponents(string: hubURL)?.port)
        var patch = more
        patch["hubUrl"] = .string("http://localhost:\(port)/")
        try await setConfig(for: user, patch)
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

    /// `user` answers a call from 0301234 and the lamp shows it (solid red); returns the call.
    @discardableResult
    func answeredCall(to user: String, showing what: String = "on the phone") async throws -> Int {
        let call = try await pbx.startIncomingCall(to: user, from: "0301234")
        try await pbx.connect(call)
        try await lampShows(what) { $0.effect == .solid(.red) }
        return call
    }

    /// Waits until the service's session of `user` reports a condition on its status.
    func status(of user: SimulatedUser, _ condition: @escaping @Sendable (SessionStatus) -> Bool) async throws {
        let session = try await server.registry.session(for: key(of: user))
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

    /// Runs `body` with a hub client of another source (a 3rd-party app's plugin) on the open hub.
    func withHubSource(_ source: String, _ body: (HubClient) async throws -> Void) async throws {
        let transport = HTTPHubTransport()
        let port = try #require(URLComponents(string: hubURL)?.port)
        let client = HubClient(configuration: .init(baseURL: "http://127.0.0.1:\(port)/", dataSourceName: source), transport: transport)
        try await withCleanup {
            try await body(client)
        } cleanup: {
            try await transport.shutdown()
        }
    }
}
