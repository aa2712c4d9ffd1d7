import AppWebsocket
import Busylight
import ConnectorService
import Foundation
import KuandoStage
import KuandoSync
import PBXSimulator

/// The pages against the real chain: the loopback stage in demo mode (the myApps stand-in's
/// logins brokered by the simulator) with two open hubs: one open on localhost, one asking for
/// ``hubToken`` from everyone. The service calls `http://hub.test:<port>/` itself;
/// `http://localhost:<port>/` goes through the hidden app in the browser.
typealias EndToEndRig = LoopbackStage

extension LoopbackStage {
    static let hubToken = "right-token"
    static let browserAlice = SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice Liddell")
    static let aliceKey = UserKey(domain: "example.com", guid: browserAlice.guid, sip: browserAlice.sip)

    static func run(_ body: @Sendable (LoopbackStage) async throws -> Void) async throws {
        try await run(.init(users: [browserAlice], hubs: [Hub(), Hub(token: hubToken, everyPeerRemote: true)], standin: true), body)
    }

    /// The port of the open hub, and of the one asking for a token.
    var hubPort: Int { hubPorts[0] }
    var guardedHubPort: Int { hubPorts[1] }
    /// The lamp of the hub that asks for a token.
    var guardedLamp: SimulatedLamp { lamps[1] }

    /// The stand-in page for `user`, its logins brokered by this stage's simulator; `myapps`
    /// `13r1` makes it answer logins without `src`, as a 13r1 myApps does.
    func standinURL(user: String = "alice", lang: String = "en", myapps: String? = nil) -> URL {
        URL(string: "\(appsURL)/myapps-standin.htm?user=\(user)&lang=\(lang)" + (myapps.map { "&myapps=\($0)" } ?? ""))!
    }

    /// The config of alice as the store holds it.
    func storedConfig() async throws -> UserConfig? {
        try await server.store.config(for: Self.aliceKey)
    }

    /// Sends `request` on a config-app connection of alice's (no browser) and returns the answer:
    /// sets up a test through the service, as the page would.
    func asConfigApp(_ request: Frame) async throws -> Frame {
        try await withApp("alice", timeout: .seconds(15)) { connection in try await connection.request(request) }
    }

    /// Points alice's hub at `hubUrl` through the service.
    func useHub(_ hubUrl: String) async throws {
        try await setConfig(for: "alice", ["hubUrl": .string(hubUrl)])
    }
}
