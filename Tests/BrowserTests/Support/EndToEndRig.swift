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
/// hubs with simulated lamps (one open on localhost, one asking for ``hubToken``), and a small
/// login broker that answers the myApps stand-in's `getLogin` from the simulator (`?login=` of the
/// stand-in points at it).
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
    let loginPort: Int

    static let password = "instance-pw"
    static let hubToken = "right-token"
    static let alice = SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice Liddell")
    static let aliceKey = UserKey(domain: "example.com", guid: alice.guid, sip: alice.sip)

    static let quiet = Logger(label: "browser-e2e") { _ in SwiftLogNoOpLogHandler() }

    /// The stand-in page for `user`, its logins brokered by this rig's simulator.
    func standinURL(user: String = "alice", lang: String = "en") -> URL {
        URL(string: "http://127.0.0.1:\(server.port)/kuando/myapps-standin.htm?user=\(user)&lang=\(lang)&login=http://127.0.0.1:\(loginPort)/standin/login")!
    }

    static func run(_ body: @Sendable (EndToEndRig) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "kuando-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let lamp = SimulatedLamp()
        let guardedLamp = SimulatedLamp(path: "simulated:guarded")
        let (ports, portSink) = AsyncStream.makeStream(of: (String, Int).self)
        let openHub = OpenHubServer.buildApplication(
            hub: try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: quiet),
            configuration: .init(host: "127.0.0.1", port: 0, access: OpenHubAccess(token: nil)), logger: quiet
        ) { portSink.yield(("open", $0)) }
        // Every peer counts as remote here, so the token is always asked for.
        let guardedHub = OpenHubServer.buildApplication(
            hub: try OpenHub(inventory: SimulatedLampInventory(lamps: [guardedLamp]), logger: quiet),
            configuration: .init(host: "127.0.0.1", port: 0, access: OpenHubAccess(token: hubToken) { _ in false }), logger: quiet
        ) { portSink.yield(("guarded", $0)) }

        let store = try SQLiteConfigStore(path: folder.appending(path: "connector.sqlite").path)
        let policy = HubNetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!]) { host in host == "hub.test" ? [IPAddress("127.0.0.1")!] : [] }
        let server = try await ConnectorServer.start(.init(port: 0, domain: "example.com", password: password), store: store, policy: policy, logger: quiet)
        let pbx = PBXSimulator(
            configuration: .init(
                serviceURL: "ws://127.0.0.1:\(server.port)/kuando/", password: password,
                appObjects: [
                    .init(sip: "kuando", dn: "Connector for kuando", guid: "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", app: AppNames.hidden, url: "http://127.0.0.1:\(server.port)/kuando/\(AppNames.hidden).htm"),
                    .init(sip: "kuando-config", dn: "Connector for kuando config", guid: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0", app: AppNames.config, url: "http://127.0.0.1:\(server.port)/kuando/\(AppNames.config).htm"),
                ]),
            users: [alice], logger: quiet)
        let broker = LoginBroker(pbx: pbx).application { portSink.yield(("login", $0)) }

        let group = ServiceGroup(configuration: .init(services: [openHub, guardedHub, broker], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var bound: [String: Int] = [:]
            for await (name, port) in ports {
                bound[name] = port
                if bound.count == 3 { break }
            }
            let rig = EndToEndRig(
                server: server, pbx: pbx, lamp: lamp, hubPort: try #require(bound["open"]), guardedLamp: guardedLamp,
                guardedHubPort: try #require(bound["guarded"]), loginPort: try #require(bound["login"]))
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
        let answer = try await asConfigApp(Frame(mt: "SetConfig", fields: ["config": ["hubUrl": .string(hubUrl)]]))
        #expect(answer.object["ok"]?.boolValue == true, "\(answer)")
    }
}

/// Serves `GET /standin/login?sip=&app=&challenge=` from the PBX simulator, with CORS for the
/// stand-in page on the service's origin: what demo mode of `kuando serve` offers at `standin/login`.
struct LoginBroker: Sendable {
    let pbx: PBXSimulator

    func application(onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        let pbx = self.pbx
        router.get("/standin/login") { request, _ -> Response in
            let query = request.uri.queryParameters
            var headers: HTTPFields = [.accessControlAllowOrigin: "*"]
            do {
                let login = try await pbx.appLogin(
                    user: String(query["sip"] ?? ""), app: String(query["app"] ?? ""), challenge: String(query["challenge"] ?? ""))
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(login.json).text)))
            } catch {
                return Response(status: .forbidden, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "\(error)")))
            }
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: EndToEndRig.quiet)
    }
}
