import AppWebsocket
import Busylight
import ConnectorService
import Foundation
import KuandoHub
import KuandoSync
import Logging
import PBXSimulator
import ServiceLifecycle
import Synchronization
import Timing

/// Everything `kuando demo` runs, in this one process and on loopback with ports the system
/// picks: the open hub with a simulated lamp, the App Service (SQLite in a temporary folder,
/// hubs on this machine called directly, the myApps stand-in's login brokered by the simulated
/// PBX) and the PBX simulator linked to it, in licence test mode, with one user whose hub is
/// the open hub.
///
/// ```swift
/// let stage = try await DemoStage.start(logger: logger, timeout: .seconds(10))
/// let call = try await stage.pbx.startIncomingCall(to: DemoStage.user.sip, from: "0301234567")
/// await stage.stop()   // Logout to the hub, sockets closed, temporary folder removed
/// ```
final class DemoStage: Sendable {
    static let user = SimulatedUser(sip: "alice", guid: "a11ce000a11ce000a11ce000a11ce000", dn: "Alice Example", e164: "201")
    static let domain = "example.com"
    /// How often the demo user's session reads the hub: the shortest the config allows, so the
    /// story moves quickly.
    static let pollIntervalMs = UserConfig.pollIntervalRange.lowerBound

    let lamp: SimulatedLamp
    let hub: OpenHub
    /// The open hub's base URL, `http://127.0.0.1:<port>/`.
    let hubURL: String
    let server: ConnectorServer
    let pbx: PBXSimulator
    /// The demo user's session in the service.
    let session: UserSession
    /// The connection 3rd-party applications post to the hub with.
    let transport: HTTPHubTransport
    /// How long any one wait may take.
    let timeout: Duration
    private let hubGroup: ServiceGroup
    private let hubRunner: Task<Void, any Error>
    private let folder: URL

    private init(
        lamp: SimulatedLamp, hub: OpenHub, hubURL: String, server: ConnectorServer, pbx: PBXSimulator, session: UserSession,
        transport: HTTPHubTransport, timeout: Duration, hubGroup: ServiceGroup, hubRunner: Task<Void, any Error>, folder: URL
    ) {
        self.lamp = lamp
        self.hub = hub
        self.hubURL = hubURL
        self.server = server
        self.pbx = pbx
        self.session = session
        self.transport = transport
        self.timeout = timeout
        self.hubGroup = hubGroup
        self.hubRunner = hubRunner
        self.folder = folder
    }

    /// The demo user as the service keys it.
    static var userKey: UserKey { UserKey(domain: domain, guid: user.guid, sip: user.sip) }

    /// The service's base URL, `http://127.0.0.1:<port>`.
    var serviceURL: String { "http://127.0.0.1:\(server.port)" }

    /// The apps' directory on the service, `http://127.0.0.1:<port>/kuando`.
    var appsURL: String { serviceURL + server.configuration.normalisedPath }

    /// Starts every part and returns once the PBX is linked, the service monitors the demo user
    /// and the user's session reaches the open hub.
    ///
    /// - Throws: ``DemoSetupError`` naming the part that did not come up; what did start is stopped.
    static func start(logger: Logger, timeout: Duration) async throws -> DemoStage {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        let lamp = SimulatedLamp(path: "simulated:demo")
        let hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let hubApp = OpenHubServer.buildApplication(
            hub: hub, configuration: .init(host: "127.0.0.1", port: 0, access: OpenHubAccess(token: nil)), logger: logger
        ) { port in
            portSink.yield(port)
            portSink.finish()
        }
        let hubGroup = ServiceGroup(configuration: .init(services: [hubApp], logger: logger))
        let hubRunner = Task { try await hubGroup.run() }
        var hubPort: Int?
        for await port in ports { hubPort = port }
        guard let hubPort else {
            await hubGroup.triggerGracefulShutdown()
            _ = try? await hubRunner.value
            throw DemoSetupError("the open hub did not start listening on 127.0.0.1")
        }
        let hubURL = "http://127.0.0.1:\(hubPort)/"

        let password = UUID().uuidString
        let pbxBox = PBXSimulatorBox()
        let server: ConnectorServer
        do {
            let store = try await openConfigStore(url: "sqlite:" + folder.appendingPathComponent("connector.sqlite").path, logger: logger)
            server = try await ConnectorServer.start(
                .init(host: "127.0.0.1", port: 0, domain: domain, password: password, localHubsDirect: true),
                store: store, logger: logger,
                standinLogin: StandinLogin(objectNames: PBXSimulatorConfiguration.connectorObjectNames) { sip, app, challenge in
                    guard let pbx = pbxBox.simulator else { throw DemoSetupError("the PBX simulator is not running") }
                    return try await pbx.appLogin(user: sip, app: app, challenge: challenge).json
                })
        } catch {
            await hubGroup.triggerGracefulShutdown()
            _ = try? await hubRunner.value
            try? FileManager.default.removeItem(at: folder)
            throw DemoSetupError("the service did not start: \(error)")
        }
        let pbx = PBXSimulator(
            configuration: .init(
                serviceURL: "ws://127.0.0.1:\(server.port)\(server.configuration.normalisedPath)/", password: password, domain: domain,
                testMode: true),
            users: [user], logger: logger)
        pbxBox.simulator = pbx
        let transport = HTTPHubTransport()

        func abandon(_ problem: String, _ error: any Error) async -> DemoSetupError {
            await tearDown(pbx: pbx, server: server, transport: transport, hubGroup: hubGroup, hubRunner: hubRunner, folder: folder)
            return DemoSetupError("\(problem): \(error)")
        }

        let session: UserSession
        do {
            await pbx.start()
            try await pbx.waitUntil(timeout: timeout) { $0.appInfoResult != nil }
            try await pbx.waitUntil(timeout: timeout) { state in
                state.events.contains { if case .userMonitored(user.sip, _) = $0 { true } else { false } }
                    && state.events.contains(.presenceSubscribed(sip: user.sip))
            }
        } catch {
            throw await abandon("the PBX simulator did not link to the service and see it monitor \(user.sip)", error)
        }
        do {
            try await configureHub(hubURL, service: server, pbx: pbx, logger: logger, timeout: timeout)
            session = try await server.registry.session(for: userKey)
            try await waitForStatus(of: session, timeout: timeout) { $0.hubReachable && $0.hubTransport == "direct" }
        } catch {
            throw await abandon("\(user.sip)'s session did not reach the open hub at \(hubURL)", error)
        }
        return DemoStage(
            lamp: lamp, hub: hub, hubURL: hubURL, server: server, pbx: pbx, session: session, transport: transport,
            timeout: timeout, hubGroup: hubGroup, hubRunner: hubRunner, folder: folder)
    }

    /// Logs in as the demo user's config app (flow C, brokered by the simulated PBX) and saves the
    /// open hub as the user's hub, as a user would in the config app.
    private static func configureHub(_ hubURL: String, service: ConnectorServer, pbx: PBXSimulator, logger: Logger, timeout: Duration) async throws {
        let url = "ws://127.0.0.1:\(service.port)\(service.configuration.normalisedPath)/"
        try await AppWebsocketConnection.connect(to: url, configuration: .init(requestTimeout: timeout), logger: logger) { connection in
            let login = try await connection.login { challenge in
                try await pbx.appLogin(user: user.sip, app: AppNames.config, challenge: challenge).appLogin
            }
            guard login.ok else { throw DemoSetupError("the service refused the config app's login: \(login.errorText ?? "no reason given")") }
            let answer = try await connection.request(AppAPI.SetConfig(config: ["hubUrl": .string(hubURL), "pollIntervalMs": .int(pollIntervalMs)]))
            guard answer.object["ok"]?.boolValue == true else { throw DemoSetupError("the service did not save the hub: \(answer.text)") }
            await connection.close()
        }
    }

    /// Stops everything: the 3rd-party apps' connection, the PBX link, the service (which sends
    /// `Logout` to the hub) and the hub; removes the temporary folder.
    func stop() async {
        await Self.tearDown(pbx: pbx, server: server, transport: transport, hubGroup: hubGroup, hubRunner: hubRunner, folder: folder)
    }

    /// What ``stop()`` does, also for a stage whose set-up failed half way.
    private static func tearDown(
        pbx: PBXSimulator, server: ConnectorServer, transport: HTTPHubTransport, hubGroup: ServiceGroup, hubRunner: Task<Void, any Error>, folder: URL
    ) async {
        await pbx.disconnect()
        await server.stop()
        try? await transport.shutdown()
        await hubGroup.triggerGracefulShutdown()
        _ = try? await hubRunner.value
        try? FileManager.default.removeItem(at: folder)
    }

    /// A 3rd-party application posting to the open hub.
    func app(_ platform: String) -> ThirdPartyApp {
        ThirdPartyApp(platform: platform, hubURL: hubURL, transport: transport)
    }

    // MARK: waiting for what happens

    /// Waits until the lamp shows what `condition` accepts.
    /// - Throws: ``DemoStepFailure`` with `expected` and what the lamp showed instead.
    @discardableResult
    func lampShows(_ expected: String, _ condition: @escaping @Sendable (SimulatedLampSnapshot) -> Bool) async throws -> SimulatedLampSnapshot {
        do {
            return try await lamp.waitUntil(timeout: timeout, condition)
        } catch let timedOut as SimulatedLampTimeout {
            throw DemoStepFailure(expected: expected, seen: "the lamp shows \(DemoLampShade(timedOut.last).text)")
        }
    }

    /// Waits until the PBX's state satisfies `condition`.
    /// - Throws: ``DemoStepFailure`` with `expected` and the demo user's calls and presence on the PBX.
    func pbxShows(_ expected: String, _ condition: @escaping @Sendable (PBXSimulatorState) -> Bool) async throws {
        do {
            try await pbx.waitUntil(timeout: timeout, condition)
        } catch PBXSimulatorError.timeout {
            throw DemoStepFailure(expected: expected, seen: "the PBX shows " + Self.describe(await pbx.state))
        }
    }

    /// Waits until the demo user's session status satisfies `condition`.
    func statusShows(_ expected: String, _ condition: @escaping @Sendable (SessionStatus) -> Bool) async throws {
        do {
            try await Self.waitForStatus(of: session, timeout: timeout, condition)
        } catch is DemoDeadlinePassed {
            let status = await session.status
            throw DemoStepFailure(
                expected: expected,
                seen: "the service's session shows hub winner \(status.hubWinner.traceText), 3rd-party call \(status.thirdPartyCall ?? "none")")
        }
    }

    /// Waits until the service has read the hub `count` more times (each read is an input to the
    /// user's session, which publishes its status after it).
    func hubReads(_ count: Int) async throws {
        let updates = await session.statusUpdates()
        try await withDeadline(timeout, "the service to read the hub \(count) times") {
            var seen = -1
            for await _ in updates {
                seen += 1
                if seen == count { return }
            }
            throw DemoStepFailure(expected: "the service reading the hub \(count) times", seen: "the user's session ended")
        }
    }

    /// The demo user's trace lines from now on.
    func traceLines() -> AsyncStream<String> {
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        let traces = server.registry.traces
        let token = traces.listen(to: Self.userKey) { sink.yield($0) }
        sink.onTermination = { _ in traces.remove(token) }
        return lines
    }

    /// Waits for a trace line of the demo user that contains `text`, in `lines`.
    func traceLine(containing text: String, in lines: AsyncStream<String>) async throws -> String {
        do {
            return try await withDeadline(timeout, "a trace line \"\(text)\"") {
                for await line in lines where line.contains(text) { return line }
                throw DemoDeadlinePassed(waitingFor: text)
            }
        } catch is DemoDeadlinePassed {
            throw DemoStepFailure(expected: "the trace line \"\(text)\"", seen: "no such line within \(timeout)")
        }
    }

    static func waitForStatus(of session: UserSession, timeout: Duration, _ condition: @escaping @Sendable (SessionStatus) -> Bool) async throws {
        let updates = await session.statusUpdates()
        try await withDeadline(timeout, "a session status") {
            for await status in updates where condition(status) { return }
            throw DemoDeadlinePassed(waitingFor: "a session status")
        }
    }

    /// The demo user's calls, alien calls and presence on the PBX, in words.
    static func describe(_ state: PBXSimulatorState) -> String {
        let calls = state.calls.values.filter { $0.user == user.sip }
        let presence = state.telPresence(of: user.sip)
        let activity = presence.map { $0.activity.isEmpty ? "available" : $0.activity } ?? "available"
        let note = presence.map { $0.note.isEmpty ? "" : " (note \"\($0.note)\")" } ?? ""
        return "\(user.sip) with \(calls.count) call(s), \(state.alienCalls[user.sip]?.count ?? 0) alien call(s), presence \(activity)\(note)"
    }
}

/// Lets the service's login broker reach the simulator, which can only be made once the
/// service's port is known.
private final class PBXSimulatorBox: Sendable {
    private let stored = Mutex<PBXSimulator?>(nil)

    var simulator: PBXSimulator? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}

/// Runs `body`, giving up after `timeout`.
/// - Throws: ``DemoDeadlinePassed`` when the time ran out; whatever `body` throws.
func withDeadline<T: Sendable>(_ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let value = try await withTimeout(timeout, body) else { throw DemoDeadlinePassed(waitingFor: what) }
    return value
}

/// A wait of the demo ran out of time.
struct DemoDeadlinePassed: Error, CustomStringConvertible {
    var waitingFor: String
    var description: String { "gave up waiting for \(waitingFor)" }
}

/// The demo could not set its parts up.
struct DemoSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
