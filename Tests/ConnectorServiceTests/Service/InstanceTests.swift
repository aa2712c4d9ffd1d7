import AppWebsocket
import AsyncHTTPClient
import Foundation
import KuandoStage
import PBXSimulator
import TestSupport
import Testing
@testable import ConnectorService

/// One service, several PBX domains: each instance has its password, its URLs and its users.
@Suite struct InstanceTests {
    static let passwordB = "bbbbbbbbbbbbbbbbbbbb"
    static let carol = SimulatedUser(sip: "carol", guid: "33333333333333333333333333333333", dn: "Carol")

    /// A PBX of `domain` with `password` at `path` of the stage's service.
    static func pbx(_ rig: LoopbackStage, path: String, domain: String, password: String, users: [SimulatedUser] = [carol]) -> PBXSimulator {
        PBXSimulator(
            configuration: .init(serviceURL: "ws://127.0.0.1:\(rig.server.port)\(path)", password: password, domain: domain),
            users: users, logger: ServiceRig.testLogger)
    }

    /// A stage for `a.example` whose store also holds the instance `b.example`.
    static func run(_ body: @Sendable (LoopbackStage, any ConfigStore) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-instances-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
        try await store.whileRunning { try await store.setInstancePassword(domain: "b.example", password: passwordB) }
        try await LoopbackStage.run(
            .init(users: [ServiceRig.alice], store: store, folder: folder, password: ServiceRig.password, domain: "a.example", serviceLogger: ServiceRig.testLogger)
        ) { rig in try await body(rig, store) }
    }

    static func get(_ path: String, port: Int) async throws -> (status: UInt, headers: [String: String], body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }) { $1 }, String(buffer: body))
    }

    @Test func eachInstanceTakesOnlyItsOwnPasswordAndDomainAndItsUsersStayApart() async throws {
        try await Self.run { rig, _ in
            // A's password at B's URL: refused.
            let wrongPassword = Self.pbx(rig, path: "/b.example/kuando/\(AppNames.hidden)", domain: "b.example", password: ServiceRig.password)
            await wrongPassword.start()
            try await wrongPassword.waitUntil { $0.loginResult?.ok == false || $0.events.contains { if case .disconnected = $0 { true } else { false } } }
            #expect(await wrongPassword.state.appInfoResult == nil, "a login with instance A's password is refused at instance B")
            await wrongPassword.disconnect()

            // B's password, but a PBX of another domain: refused after the login.
            let wrongDomain = Self.pbx(rig, path: "/b.example/kuando/\(AppNames.hidden)", domain: "a.example", password: Self.passwordB)
            await wrongDomain.start()
            try await wrongDomain.waitUntil { $0.events.contains { if case .disconnected = $0 { true } else { false } } }
            #expect(await wrongDomain.state.appInfoResult == nil)
            await wrongDomain.disconnect()

            // B's own PBX links, and its user lives in B only.
            let pbxB = Self.pbx(rig, path: "/b.example/kuando/\(AppNames.hidden)", domain: "b.example", password: Self.passwordB)
            await pbxB.start()
            try await pbxB.waitUntil { $0.appInfoResult != nil }
            guard case .here(let b) = rig.server.instances.place(of: "B.example") else {
                Issue.record("instance b.example is not served here")
                return
            }
            let carolAtB = UserKey(domain: "b.example", guid: Self.carol.guid)
            #expect(await eventually { await b.registry.existingSession(for: carolAtB) != nil })
            #expect(await rig.server.registry.existingSession(for: carolAtB) == nil, "instance A never sees B's users")
            #expect(await b.registry.existingSession(for: UserKey(domain: "a.example", guid: ServiceRig.alice.guid)) == nil)
            #expect(rig.server.registry.pbxLinked && b.registry.pbxLinked)

            let admin = try await Self.get("/admin/instances", port: rig.server.port)
            #expect(admin.status == 200 && admin.body.contains(#""domain" : "a.example""#) && admin.body.contains(#""domain" : "b.example""#), "\(admin.body)")
            let metrics = try await Self.get("/metrics", port: rig.server.port).body
            #expect(metrics.contains(#"kuando_pbx_connected{instance="b.example"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"kuando_pbx_connected{instance="a.example"} 1"#))
            await pbxB.disconnect()
        }
    }

    @Test func pagesAnswerUnderEachInstanceAndAnUnknownDomainIsNotFound() async throws {
        try await Self.run { rig, _ in
            let page = try await Self.get("/b.example/kuando/\(AppNames.config)", port: rig.server.port)
            #expect(page.status == 200 && page.body.contains("<html"))
            let unknown = try await Self.get("/c.example/kuando/\(AppNames.config)", port: rig.server.port)
            #expect(unknown.status == 404 && unknown.body.contains("kuando instance add c.example"), "\(unknown)")
        }
    }

    @Test func anInstanceAddedWhileRunningIsServedAndARemovedOneIsClosed() async throws {
        try await Self.run { rig, store in
            try await store.setInstancePassword(domain: "c.example", password: Self.passwordB)
            #expect(await eventually { if case .here = rig.server.instances.place(of: "c.example") { true } else { false } })
            let pbxC = Self.pbx(rig, path: "/c.example/kuando", domain: "c.example", password: Self.passwordB)
            await pbxC.start()
            try await pbxC.waitUntil { $0.appInfoResult != nil }
            guard case .here(let c) = rig.server.instances.place(of: "c.example") else { return }
            #expect(await eventually { await c.registry.existingSession(for: UserKey(domain: "c.example", guid: Self.carol.guid)) != nil })
            #expect(try await store.removeInstance(domain: "c.example") >= 1, "carol's settings were stored when the PBX announced her")
            try await pbxC.waitUntil { !$0.connected }
            #expect(rig.server.instances.place(of: "c.example") == nil)
            let gone = try await Self.get("/c.example/kuando/\(AppNames.config)", port: rig.server.port)
            #expect(gone.status == 404)
            await pbxC.disconnect()
        }
    }
}
