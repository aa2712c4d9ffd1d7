import AppWebsocket
import Busylight
import ConnectorService
import Foundation
import Hummingbird
import KuandoHub
import KuandoSync
import Logging
import PBXSimulator
import ServiceLifecycle
import Synchronization
import Testing

/// The real chain on loopback, for the pages: `ConnectorServer` (what `kuando serve` runs, SQLite
/// in a temp dir) with the pages from its resources, the PBX simulator connected to it, two open
/// hubs with simulated lamps (one open on localhost, one asking for ``hubToken``); the service
/// runs in demo mode, its stand-in login route brokered by the simulator, as `kuando demo` does.
///
/// Hubs named `hub.test` resolve to 127.0.0.1 and 127.0.0.0/8 is allowed, so the service calls
/// `http://hub.test:<port>/` itself; `http://localhost:<port>/` goes through the hidden app.
struct EndToEndRig: Sendable {
    let server: ConnectorServer
    let pbx: PBXSimulator
    /// The lamp of the open hub on localhost.
    let lamp: SimulatedLamp
    let hubPort: Int
    /// The lamp of the hub that asks for a token.
    let guardedLamp: SimulatedLamp
    let guardedHubPort: Int
    /// The `app` of every login the stand-in asked the broker for, in order.
    let askedLogins: AskedLogins

    static let password = "instance-pw"
    static let hubToken = "right-token"
    static let alice = SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice Liddell")
    static let aliceKey = UserKey(domain: "example.com", guid: alice.guid, sip: alice.sip)

    static let quiet = Logger(label: "browser-e2e") { _ in SwiftLogNoOpLogHandler() }

    /// The stand-in page for `user`, its logins brokered by this rig's simulator; `myapps`
    /// `13r1` makes it answer logins without `src`, as a 13r1 myApps does.
    func standinURL(user: String = "alice", lang: String = "en", myapps: String? = nil) -> URL {
        URL(string: "http://127.0.0.1:\(server.port)/kuando/myapps-standin.htm?user=\(user)&lang=\(lang)" + (myapps.map { "&myapps=\($0)" } ?? ""))!
    }

    static func run(_ body: @Sendable (EndToEndRig) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "kuando-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let lamp = SimulatedLamp()
        let guardedLamp = SimulatedLamp(path: "simulated:guarded")
        let (ports, portSink) = AsyncStream.makeStream(of: (String, Int).self)
        let store = try SQLiteConfigStore(path: folder.appending(path: "connector.sqlite").path)
        let policy = HubNetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!]) { host in host == "hub.test" ? [IPAddress("127.0.0.1")!] : [] }
        // The simulator needs the service's port, the service its login broker: the broker finds the simulator here.
        let simulator = Mutex<PBXSimulator?>(nil)
        let askedLogins = AskedLogins()
        let server = try await ConnectorServer.start(
            .init(port: 0, domain: "example.com", password: password), store: store, policy: policy, logger: quiet,
            standinLogin: StandinLogin(objectNames: PBXSimulatorConfiguration.connectorObjectNames) { sip, app, challenge in
                askedLogins.apps.withLock { $0.append(app) }
                let pbx = try #require(simulator.withLock { $0 }, "the PBX simulator is not there yet")
                return try await pbx.appLogin(user: sip, app: app, challenge: challenge).json
            })
        let pbx = PBXSimulator(
            configuration: .init(
                serviceURL: "ws://127.0.0.1:\(server.port)/kuando/", password: password),
            users: [alice], logger: quiet)
        simulator.withLock { $0 = pbx }

        // The hubs let the apps' pages (the service's origin) call them, as their owner would.
        let pages = BrowserOrigins(allowed: ["http://127.0.0.1:\(server.port)"])
        let openHub = OpenHubServer.buildApplication(
            hub: try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: quiet),
            configuration: .init(host: "127.0.0.1", port: 0, access: OpenHubAccess(token: nil), origins: pages, hostNames: ["hub.test"]), logger: quiet
        ) { portSink.yield(("open", $0)) }
        // Every peer counts as remote here, so the token is always asked for.
        let guardedHub = OpenHubServer.buildApplication(
            hub: try OpenHub(inventory: SimulatedLampInventory(lamps: [guardedLamp]), logger: quiet),
            configuration: .init(host: "127.0.0.1", port: 0, access: OpenHubAccess(token: hubToken) { _ in false }, origins: pages, hostNames: ["hub.test"]), logger: quiet
        ) { portSink.yield(("guarded", $0)) }


        let group = ServiceGroup(configuration: .init(services: [openHub, guardedHub], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var bound: [String: Int] = [:]
            for await (name, port) in ports {
                bound[name] = port
                if bound.count == 2 { break }
            }
            let rig = EndToEndRig(
                server: server, pbx: pbx, lamp: lamp, hubPort: try #require(bound["open"]), guardedLamp: guardedLamp,
                guardedHubPort: try #require(bound["guarded"]), askedLogins: askedLogins)
            var failure: (any Error)?
            do {
                await pbx.start()
                try await pbx.waitUntil { $0.appInfoResult != nil }
                try await body(rig)
            } catch {
                failure = error
            }
            await pbx.disconnect()
            await server.stop()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }

    /// The config of alice as the store holds it.
    func storedConfig() async throws -> UserConfig? {
        try await server.store.config(for: Self.aliceKey)
    }

    /// Sends `request` on a config-app connection of alice's (logged in through the simulator,
    /// no browser) and returns the answer: sets up a test through the service, as the page would.
    func asConfigApp(_ request: Frame) async throws -> Frame {
        let pbx = self.pbx
        let answer = Mutex<Frame?>(nil)
        try await AppWebsocketConnection.connect(
            to: "ws://127.0.0.1:\(server.port)/kuando/", configuration: .init(requestTimeout: .seconds(15)), logger: Self.quiet
        ) { connection in
            let login = try await connection.login { challenge in
                try await pbx.appLogin(user: "alice", app: AppNames.config, challenge: challenge).appLogin
            }
            #expect(login.ok)
            let result = try await connection.request(request)
            answer.withLock { $0 = result }
            await connection.close()
        }
        return try #require(answer.withLock { $0 })
    }

    /// Points alice's hub at `hubUrl` through the service.
    func useHub(_ hubUrl: String) async throws {
        let answer = try await asConfigApp(Frame(AppAPI.SetConfig(config: ["hubUrl": .string(hubUrl)])))
        #expect(answer.object["ok"]?.boolValue == true, "\(answer)")
    }
}

/// The apps the stand-in asked the login broker for.
final class AskedLogins: Sendable {
    let apps = Mutex<[String]>([])
}
