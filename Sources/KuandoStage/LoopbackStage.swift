import AppWebsocket
import Busylight
import ConnectorService
import Foundation
import KuandoHub
import Logging
import PBXSimulator
import ServiceLifecycle
import Synchronization

/// The whole chain on one machine, on loopback with ports the system picks: the App Service
/// (``ConnectorServer``, SQLite in a scratch folder unless given a store), the PBX simulator
/// linked to it, and open hubs with simulated lamps. `kuando demo`, the service's tests, the
/// browser tests and `kuando-bench` all stand on it.
///
/// Hubs answer to ``Options/hubName`` (which the service resolves to 127.0.0.1, in an allowed
/// network) and let the service's own pages call them, so the service reaches a hub directly at
/// `http://hub.test:<port>/` and the hidden app through the browser at `http://localhost:<port>/`.
///
/// ```swift
/// try await LoopbackStage.run(.init(users: [alice])) { stage in
///     try await stage.setConfig(for: "alice", ["hubUrl": .string(stage.hubURL)])
///     try await stage.pbx.startIncomingCall(to: "alice", from: "0301234")
/// }
/// ```
public final class LoopbackStage: Sendable {
    /// One open hub of the stage, with its own simulated lamp.
    public struct Hub: Sendable {
        /// The access token remote peers must present.
        public var token: String?
        /// Count every peer as remote, so the token is always asked for (loopback is local otherwise).
        public var everyPeerRemote: Bool

        public init(token: String? = nil, everyPeerRemote: Bool = false) {
            self.token = token
            self.everyPeerRemote = everyPeerRemote
        }
    }

    public struct Options: Sendable {
        public var users: [SimulatedUser]
        public var grantedAPIs: [String]
        /// The PBX runs in licence test mode (every user licensed).
        public var testMode: Bool
        public var hubs: [Hub]
        /// The name the service resolves to 127.0.0.1 and the hubs answer to.
        public var hubName: String
        /// Call hubs on this machine directly instead of through the hidden app.
        public var localHubsDirect: Bool
        /// The service's store; a fresh SQLite file in ``folder`` when nil.
        public var store: (any ConfigStore)?
        /// Where the stage keeps its files; a new temporary folder, removed at the end, when nil.
        public var folder: URL?
        public var password: String
        public var domain: String
        public var limits: ConnectorEndpoint.Limits
        /// Serve the myApps stand-in, its logins brokered by the simulated PBX (as `kuando demo`).
        public var standin: Bool
        public var serviceLogger: Logger
        /// The hubs' and the simulator's logger.
        public var logger: Logger
        public var pbxRequestTimeout: Duration
        /// Keep every PBX frame in the simulator's state (a long benchmark turns it off).
        public var recordsFrames: Bool
        /// How fast the simulator announces the users after RCC `Initialize` (nil: all at once).
        public var initializePace: PBXSimulatorConfiguration.InitializePace?
        public var onFrame: (@Sendable (PBXSimulatorState.ObservedFrame) -> Void)?
        /// Connect the PBX and wait for its link before the stage is handed out.
        public var connectPBX: Bool
        /// Changes the service's configuration before it starts.
        public var configure: @Sendable (inout ConnectorServer.Configuration) -> Void

        public init(
            users: [SimulatedUser] = [], grantedAPIs: [String] = PBXSimulatorConfiguration.allAPIs, testMode: Bool = false, hubs: [Hub] = [Hub()],
            hubName: String = "hub.test", localHubsDirect: Bool = false, store: (any ConfigStore)? = nil, folder: URL? = nil,
            password: String = "instance-pw", domain: String = "example.com", limits: ConnectorEndpoint.Limits = .init(), standin: Bool = false,
            serviceLogger: Logger = LoopbackStage.quiet, logger: Logger = LoopbackStage.quiet, pbxRequestTimeout: Duration = .seconds(10),
            recordsFrames: Bool = true, onFrame: (@Sendable (PBXSimulatorState.ObservedFrame) -> Void)? = nil, connectPBX: Bool = true,
            configure: @escaping @Sendable (inout ConnectorServer.Configuration) -> Void = { _ in }
        ) {
            self.users = users
            self.grantedAPIs = grantedAPIs
            self.testMode = testMode
            self.hubs = hubs
            self.hubName = hubName
            self.localHubsDirect = localHubsDirect
            self.store = store
            self.folder = folder
            self.password = password
            self.domain = domain
            self.limits = limits
            self.standin = standin
            self.serviceLogger = serviceLogger
            self.logger = logger
            self.pbxRequestTimeout = pbxRequestTimeout
            self.recordsFrames = recordsFrames
            self.onFrame = onFrame
            self.connectPBX = connectPBX
            self.configure = configure
        }
    }

    /// A logger that writes nothing.
    public static let quiet = Logger(label: "kuando.stage") { _ in SwiftLogNoOpLogHandler() }

    public let options: Options
    public let server: ConnectorServer
    public let pbx: PBXSimulator
    /// The open hubs, their lamps and ports, in the order of ``Options/hubs``.
    public let hubs: [OpenHub]
    public let lamps: [SimulatedLamp]
    public let hubPorts: [Int]
    /// The `app` of every login the myApps stand-in asked for, in order.
    public let standinLogins: StandinLogins
    private let hubGroup: ServiceGroup?
    private let hubRunner: Task<Void, any Error>?
    private let scratch: URL?

    /// The apps the stand-in asked logins for.
    public final class StandinLogins: Sendable {
        private let apps = Mutex<[String]>([])
        func append(_ app: String) { apps.withLock { $0.append(app) } }
        public var all: [String] { apps.withLock { $0 } }
    }

    private init(
        options: Options, server: ConnectorServer, pbx: PBXSimulator, hubs: [OpenHub], lamps: [SimulatedLamp], hubPorts: [Int],
        standinLogins: StandinLogins, hubGroup: ServiceGroup?, hubRunner: Task<Void, any Error>?, scratch: URL?
    ) {
        self.options = options
        self.server = server
        self.pbx = pbx
        self.hubs = hubs
        self.lamps = lamps
        self.hubPorts = hubPorts
        self.standinLogins = standinLogins
        self.hubGroup = hubGroup
        self.hubRunner = hubRunner
        self.scratch = scratch
    }

    /// The first hub's lamp.
    public var lamp: SimulatedLamp { lamps[0] }
    /// The first hub.
    public var hub: OpenHub { hubs[0] }

    /// A hub's URL as the service calls it: `http://hub.test:<port>/`.
    public func hubURL(at index: Int) -> String { "http://\(options.hubName):\(hubPorts[index])/" }

    /// The first hub's URL as the service calls it.
    public var hubURL: String { hubURL(at: 0) }

    /// The service's base URL, `http://127.0.0.1:<port>`.
    public var serviceURL: String { "http://127.0.0.1:\(server.port)" }

    /// The apps' directory, `http://127.0.0.1:<port>/kuando`.
    public var appsURL: String { serviceURL + server.configuration.normalisedPath }

    /// The service's websocket, `ws://127.0.0.1:<port>/kuando/`.
    public var websocketURL: String { "ws://127.0.0.1:\(server.port)\(server.configuration.normalisedPath)/" }

    /// A user as the service keys them.
    public func key(of user: SimulatedUser) -> UserKey { UserKey(domain: options.domain, guid: user.guid, sip: user.sip) }

    /// Starts the service, then the PBX simulator (linked, unless ``Options/connectPBX`` is off),
    /// then the hubs. What started is stopped again when a later part fails.
    public static func start(_ options: Options) async throws -> LoopbackStage {
        let scratch = options.folder == nil ? FileManager.default.temporaryDirectory.appendingPathComponent("kuando-stage-\(UUID().uuidString)") : nil
        let folder = options.folder ?? scratch!
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let simulator = Mutex<PBXSimulator?>(nil)
        let standinLogins = StandinLogins()
        let server: ConnectorServer
        do {
            let store = try options.store ?? SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
            var configuration = ConnectorServer.Configuration(port: 0, domain: options.domain, password: options.password, localHubsDirect: options.localHubsDirect)
            options.configure(&configuration)
            let hubName = options.hubName
            let policy = HubNetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!], localHubsDirect: configuration.localHubsDirect) { host in
                host == hubName ? [IPAddress("127.0.0.1")!] : []
            }
            let standin = options.standin
                ? StandinLogin(objectNames: PBXSimulatorConfiguration.connectorObjectNames) { sip, app, challenge in
                    standinLogins.append(app)
                    guard let pbx = simulator.withLock({ $0 }) else { throw LoopbackStageError("the PBX simulator is not there yet") }
                    return try await pbx.appLogin(user: sip, app: app, challenge: challenge).json
                } : nil
            server = try await ConnectorServer.start(
                configuration, store: store, policy: policy, limits: options.limits, logger: options.serviceLogger, standinLogin: standin)
        } catch {
            if let scratch { try? FileManager.default.removeItem(at: scratch) }
            throw LoopbackStageError("the service did not start: \(error)")
        }
        let pbx = PBXSimulator(
            configuration: .init(
                serviceURL: "ws://127.0.0.1:\(server.port)\(server.configuration.normalisedPath)/", password: options.password, domain: options.domain,
                grantedAPIs: options.grantedAPIs, testMode: options.testMode, requestTimeout: options.pbxRequestTimeout,
                recordsFrames: options.recordsFrames, initializePace: options.initializePace),
            users: options.users, logger: options.logger, onFrame: options.onFrame)
        simulator.withLock { $0 = pbx }

        var lamps: [SimulatedLamp] = []
        var hubs: [OpenHub] = []
        var hubPorts: [Int] = []
        var hubGroup: ServiceGroup?
        var hubRunner: Task<Void, any Error>?
        do {
            if !options.hubs.isEmpty {
                // The hubs let the service's own pages call them, as their owner would.
                let pages = BrowserOrigins(allowed: ["http://127.0.0.1:\(server.port)"])
                let (ports, portSink) = AsyncStream.makeStream(of: (Int, Int).self)
                var services: [any Service] = []
                for (index, spec) in options.hubs.enumerated() {
                    let lamp = SimulatedLamp(path: "simulated:\(index)")
                    let hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: options.logger)
                    let access = spec.everyPeerRemote ? OpenHubAccess(token: spec.token) { _ in false } : OpenHubAccess(token: spec.token)
                    services.append(OpenHubServer.buildApplication(
                        hub: hub, configuration: .init(host: "127.0.0.1", port: 0, access: access, origins: pages, hostNames: [options.hubName]),
                        logger: options.logger
                    ) { portSink.yield((index, $0)) })
                    lamps.append(lamp)
                    hubs.append(hub)
                }
                let group = ServiceGroup(configuration: .init(services: services, logger: options.logger))
                hubGroup = group
                hubRunner = Task { try await group.run() }
                var bound: [Int: Int] = [:]
                for await (index, port) in ports {
                    bound[index] = port
                    if bound.count == services.count { break }
                }
                hubPorts = (0..<services.count).compactMap { bound[$0] }
            }
            if options.connectPBX {
                await pbx.start()
                try await pbx.waitUntil(timeout: options.pbxRequestTimeout) { $0.appInfoResult != nil }
            }
        } catch {
            await tearDown(pbx: pbx, server: server, hubGroup: hubGroup, hubRunner: hubRunner, scratch: scratch)
            throw LoopbackStageError("the PBX simulator did not link to the service: \(error)")
        }
        return LoopbackStage(
            options: options, server: server, pbx: pbx, hubs: hubs, lamps: lamps, hubPorts: hubPorts, standinLogins: standinLogins, hubGroup: hubGroup,
            hubRunner: hubRunner, scratch: scratch)
    }

    /// Runs `body` with a started stage and stops it afterwards, also when `body` throws.
    public static func run<T: Sendable>(_ options: Options, _ body: (LoopbackStage) async throws -> T) async throws -> T {
        let stage = try await start(options)
        do {
            let result = try await body(stage)
            await stage.stop()
            return result
        } catch {
            await stage.stop()
            throw error
        }
    }

    /// Stops the PBX link, the service (which sends `Logout` to the hubs) and the hubs; removes
    /// the scratch folder.
    public func stop() async {
        await Self.tearDown(pbx: pbx, server: server, hubGroup: hubGroup, hubRunner: hubRunner, scratch: scratch)
    }

    private static func tearDown(pbx: PBXSimulator, server: ConnectorServer, hubGroup: ServiceGroup?, hubRunner: Task<Void, any Error>?, scratch: URL?) async {
        await pbx.disconnect()
        await server.stop()
        await hubGroup?.triggerGracefulShutdown()
        _ = try? await hubRunner?.value
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    // MARK: the apps, as myApps runs them

    /// Logs in to the service as `user`'s app (flow C, the login brokered by the simulated PBX
    /// under the App object's name), runs `body` with the connection, then closes it.
    public func withApp<T: Sendable>(
        _ user: String, _ app: String = "kuando-config", path: String? = nil, timeout: Duration = .seconds(10),
        _ body: @escaping @Sendable (AppWebsocketConnection) async throws -> T
    ) async throws -> T {
        let pbx = self.pbx
        let result = Mutex<T?>(nil)
        let url = path.map { "ws://127.0.0.1:\(server.port)\($0)" } ?? websocketURL
        try await AppWebsocketConnection.connect(to: url, configuration: .init(requestTimeout: timeout), logger: options.logger) { connection in
            let login = try await connection.login { challenge in try await pbx.appLogin(user: user, app: app, challenge: challenge).appLogin }
            guard login.ok else { throw LoopbackStageError("the service refused \(user)'s \(app) login: \(login.errorText ?? "no reason given")") }
            let value = try await body(connection)
            result.withLock { $0 = value }
            await connection.close()
        }
        guard let value = result.withLock({ $0 }) else { throw LoopbackStageError("\(user)'s \(app) connection ended early") }
        return value
    }

    /// Changes `user`'s settings through the config app, as the user would.
    /// - Throws: ``LoopbackStageError`` with the service's reason when it refused.
    @discardableResult
    public func setConfig(for user: String, _ patch: JSONObject) async throws -> AppAPI.SetConfigResult {
        let answer = try await withApp(user) { connection in
            try await connection.request(AppAPI.SetConfig(config: patch)).decode(AppAPI.SetConfigResult.self)
        }
        guard answer.ok else { throw LoopbackStageError("the service refused \(user)'s settings: \(answer.error ?? "no reason given")") }
        return answer
    }
}

/// A part of the stage that did not come up, or a step it was asked for that failed.
public struct LoopbackStageError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
