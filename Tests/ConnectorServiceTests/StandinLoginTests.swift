import AppWebsocket
import Foundation
import KuandoHub
import PBXSimulator
import Synchronization
import Testing
import TestSupport
@testable import ConnectorService

/// The myApps stand-in's login broker (`<path>/standin/login`): served only when the service is
/// started with one (demo mode), and what it answers logs an app in.
@Suite(.serialized) struct StandinLoginTests {
    static let password = "instance-pw"
    static let alice = SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice")

    /// A service on loopback, brokering logins from a simulated PBX when `demoMode` is on.
    func withService(demoMode: Bool, _ body: (ConnectorServer, HTTPHubTransport) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-standin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pbx = PBXSimulator(configuration: .init(serviceURL: "ws://127.0.0.1:1/kuando/", password: Self.password), users: [Self.alice], logger: ServiceRig.quiet)
        let broker = StandinLogin(objectNames: PBXSimulatorConfiguration.connectorObjectNames) { sip, app, challenge in
            try await pbx.appLogin(user: sip, app: app, challenge: challenge).json
        }
        let server = try await ConnectorServer.start(
            .init(port: 0, domain: "example.com", password: Self.password), store: try SQLiteConfigStore(path: folder.appendingPathComponent("c.sqlite").path),
            logger: ServiceRig.quiet, standinLogin: demoMode ? broker : nil)
        let transport = HTTPHubTransport()
        try await withCleanup {
            try await body(server, transport)
        } cleanup: {
            try await transport.shutdown()
            await server.stop()
        }
    }

    func getLogin(_ server: ConnectorServer, _ transport: HTTPHubTransport, sip: String, app: String, challenge: String) async throws -> HubHTTPResponse {
        try await transport.send(HubHTTPRequest(
            method: .get, baseURL: "http://127.0.0.1:\(server.port)/kuando/standin/login", query: "sip=\(sip)&app=\(app)&challenge=\(challenge)"))
    }

    @Test func inDemoModeTheBrokeredLoginLogsTheConfigAppIn() async throws {
        try await withService(demoMode: true) { server, transport in
            let answered = Mutex<AppLoginResult?>(nil)
            try await AppWebsocketConnection.connect(
                to: "ws://127.0.0.1:\(server.port)/kuando/", configuration: .init(requestTimeout: .seconds(10)), logger: ServiceRig.quiet
            ) { connection in
                let result = try await connection.login { challenge in
                    let response = try await getLogin(server, transport, sip: "alice", app: AppNames.config, challenge: challenge)
                    #expect(response.status == 200)
                    let frame = try Frame(parsing: String(decoding: response.body, as: UTF8.self))
                    #expect(frame.mt == "AppGetLoginResult")
                    return try AppLogin(frame: frame)
                }
                answered.withLock { $0 = result }
                await connection.close()
            }
            let result = try #require(answered.withLock { $0 })
            #expect(result.ok)
            #expect(result.domain == "example.com")
        }
    }

    @Test func inDemoModeAnUnknownUserIsRefusedWithTheReason() async throws {
        try await withService(demoMode: true) { server, transport in
            let response = try await getLogin(server, transport, sip: "mallory", app: AppNames.config, challenge: "c1")
            #expect(response.status == 403)
            #expect(String(decoding: response.body, as: UTF8.self).contains("no user mallory"))
        }
    }

    @Test func withoutABrokerNeitherTheRouteNorTheStandInPageIsThere() async throws {
        try await withService(demoMode: false) { server, transport in
            let response = try await getLogin(server, transport, sip: "alice", app: AppNames.config, challenge: "c1")
            #expect(response.status == 404)
            let page = try await transport.send(HubHTTPRequest(method: .get, baseURL: "http://127.0.0.1:\(server.port)/kuando/myapps-standin.htm"))
            #expect(page.status == 404)
            let app = try await transport.send(HubHTTPRequest(method: .get, baseURL: "http://127.0.0.1:\(server.port)/kuando/\(AppNames.config).htm"))
            #expect(app.status == 200)
        }
    }
}
