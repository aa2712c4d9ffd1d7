import AppWebsocket
import PBXSimulator
import Testing
import TestSupport

/// The simulated PBX answering RCC, PbxApi, PbxImpersonation and PbxTableUsers for a service.
@Suite struct SimulatorAPITests {
    /// Runs a listener and a logged-in simulator; `body` gets the service side of the connection.
    func withLoggedInPBX(_ body: @Sendable (PBXSimulator, AppWebsocketConnection, TestListener) async throws -> Void) async throws {
        let listener = TestListener(password: "pw")
        try await listener.withLinkedPBX({ SimulatorLoginTests.simulator(url: $0, password: "pw") }) { pbx, service in
            try await body(pbx, service, listener)
        }
    }

    static func callInfos(_ listener: TestListener) -> [RCC.CallInfo] {
        listener.received.filter { $0.mt == "CallInfo" }.compactMap { try? $0.decode(RCC.CallInfo.self) }
    }

    @Test("RCC: Initialize lists the users with the app; UserInitialize monitors; scripted calls arrive as CallInfo with real states")
    func rccCalls() async throws {
        try await withLoggedInPBX { pbx, service, listener in
            let result = try await service.request(RCC.Initialize())
            #expect(result.mt == "InitializeResult")
            let listed = listener.received.filter { $0.mt == "UserInfo" && $0.src == result.src }.compactMap { try? $0.decode(RCC.UserInfo.self) }
            #expect(listed.map(\.h323) == ["alice", "bob"])
            let monitor = try await service.request(RCC.UserInitialize(cn: "Alice")).decode(RCC.UserInitializeResult.self)
            let handle = try #require(monitor.user)

            let incoming = try await pbx.startIncomingCall(to: "alice", from: "0301234")
            try await pbx.alert(incoming)
            try await pbx.connect(incoming)
            try await pbx.hold(incoming)
            try await pbx.retrieve(incoming)
            let outgoing = try await pbx.startOutgoingCall(from: "alice", to: "0409876")
            try await pbx.alert(outgoing)
            try await pbx.hangUp(incoming)
            try await pbx.connect(outgoing)
            try await pbx.hold(outgoing)
            try await pbx.hangUp(outgoing, byPeer: false)
            try await listener.log.waitUntil { _ in Self.callInfos(listener).count == 13 }
            let infos = Self.callInfos(listener)
            #expect(infos.allSatisfy { $0.user == handle })
            let first = infos.filter { $0.call == incoming }
            #expect(first.map(\.state) == [129, 132, 133, 389, 133, 135, 135])
            #expect(first.map(\.msg) == ["r-setup", "x-alert", "x-conn", "update", "update", "r-disc", "del"])
            let second = infos.filter { $0.call == outgoing }
            #expect(second.map(\.state) == [1, 4, 5, 261, 262, 262])
            #expect(second.map(\.msg) == ["x-setup", "r-alert", "r-conn", "update", "x-disc", "del"])
            // Two calls at once: the outgoing one rang while the incoming one was connected.
            let order = infos.map { "\($0.call):\($0.msg)" }
            #expect(order.firstIndex(of: "\(outgoing):r-alert")! < order.firstIndex(of: "\(incoming):del")!)
        }
    }

    @Test("RCC: a user monitored during a call gets CallInfo for the running call; missed calls end with del")
    func rccRunningAndMissed() async throws {
        try await withLoggedInPBX { pbx, service, listener in
            let call = try await pbx.startIncomingCall(to: "bob", from: "999")
            try await pbx.alert(call)
            try await pbx.connect(call)
            _ = try await service.request(RCC.UserInitialize(cn: "Bob"))
            try await listener.log.waitUntil { _ in Self.callInfos(listener).count == 1 }
            #expect(Self.callInfos(listener)[0].state == 133)
            try await pbx.missedCall(to: "bob", from: "888")
            try await listener.log.waitUntil { _ in Self.callInfos(listener).count == 5 }
            #expect(Self.callInfos(listener).suffix(4).map(\.msg) == ["r-setup", "x-alert", "r-disc", "del"])
            let unknown = try await service.request(RCC.UserInitialize(cn: "Nobody")).decode(RCC.UserInitializeResult.self)
            #expect(unknown.user == nil && unknown.error != nil)
        }
    }

    @Test("PbxApi: subscription gets PresenceState and PresenceUpdate; SetPresence and manual changes update subscribers, newest first")
    func presence() async throws {
        try await withLoggedInPBX { pbx, service, listener in
            let subscription = try await service.request(PbxApi.SubscribePresence(sip: "alice"))
            let src = subscription.src
            try await listener.log.waitUntil { _ in listener.received.contains { $0.mt == "PresenceUpdate" && $0.src == src } }
            let presenceState = try #require(listener.received.first { $0.mt == "PresenceState" && $0.src == src }).decode(PbxApi.PresenceState.self)
            #expect(presenceState.up && presenceState.num == "201" && presenceState.dn == "Alice Ärger")

            let set = try await service.request(PbxApi.SetPresence(sip: "alice", activity: "busy", note: "MS Teams"))
            #expect(try set.decode(PbxApi.SetPresenceResult.self).isSuccess)
            try await pbx.waitUntil { $0.events.contains(.presenceSet(sip: "alice", PbxApi.Presence(activity: "busy", note: "MS Teams", displayNote: "MS Teams", params: [:]))) }
            try await pbx.changePresenceManually(of: "alice", activity: "dnd", note: "")
            try await listener.log.waitUntil { _ in listener.received.filter { $0.mt == "PresenceUpdate" && $0.src == src }.count == 3 }
            let updates = listener.received.filter { $0.mt == "PresenceUpdate" && $0.src == src }.compactMap { try? $0.decode(PbxApi.PresenceUpdate.self) }
            #expect(updates.map { $0.newest?.contact } == ["im:", "tel:", "tel:"])
            #expect(updates.map { $0.tel?.activity } == [nil, "busy", "dnd"])
            #expect(await pbx.state.telPresence(of: "alice")?.activity == "dnd")
            let unknown = try await service.request(PbxApi.SetPresence(sip: "nobody", activity: "busy")).decode(PbxApi.SetPresenceResult.self)
            #expect(!unknown.isSuccess)
        }
    }

    @Test("alien calls through PbxImpersonation show the user on the phone until deleted")
    func alienCalls() async throws {
        try await withLoggedInPBX { pbx, service, _ in
            let created = try await service.request(PbxImpersonation.CreateApi(sip: "alice")).decode(PbxImpersonation.CreateApiResult.self)
            let api = try #require(created.target)
            #expect(api.hasPrefix("PbxApi."))
            let added = try await service.request(PbxApi.AddAlienCall(), api: api).decode(PbxApi.AddAlienCallResult.self)
            let id = try #require(added.id)
            #expect(await pbx.state.isOnThePhone("alice"))
            #expect(await !pbx.state.isOnThePhone("bob"))
            let deleted = try await service.request(PbxApi.DelAlienCall(id: id), api: api).decode(PbxApi.DelAlienCallResult.self)
            #expect(deleted.error == nil)
            #expect(await !pbx.state.isOnThePhone("alice"))
            let withoutUser = try await service.request(PbxApi.AddAlienCall()).decode(PbxApi.AddAlienCallResult.self)
            #expect(withoutUser.id == nil && withoutUser.errorText?.contains("PbxImpersonation") == true)
        }
    }

    @Test("PbxTableUsers: the initial copy ends with a result without columns; later changes are pushed")
    func replication() async throws {
        try await withLoggedInPBX { pbx, service, listener in
            _ = try await service.request(PbxTableUsers.ReplicateStart(columns: ["guid", "h323", "cn"]))
            var rows: [PbxTableUsers.User] = []
            while let user = try await service.request(PbxTableUsers.ReplicateNext()).decode(PbxTableUsers.ReplicateNextResult.self).user {
                rows.append(user)
            }
            #expect(rows.map(\.h323) == ["alice", "bob", "carol"])
            #expect(rows[0].dn == "")
            await pbx.addUser(SimulatedUser(sip: "dave", guid: "d4", dn: "Dave"))
            try await pbx.removeUser("bob")
            try await listener.log.waitUntil(EventLog.received("ReplicateDel"))
            let changes = listener.received.compactMap { try? PbxTableUsers.RowChange(frame: $0) }
            #expect(changes.map(\.kind) == [.add, .del])
            #expect(changes.map(\.user.h323) == ["dave", "bob"])
        }
    }

    @Test("APIs the App object does not grant are answered with an error")
    func ungranted() async throws {
        let listener = TestListener(password: "pw")
        try await listener.withLinkedPBX({ SimulatorLoginTests.simulator(url: $0, password: "pw", apis: ["PbxApi"]) }) { _, service in
            let answer = try await service.request(RCC.Initialize())
            #expect(answer.object["errorText"]?.stringValue?.contains("not granted") == true)
        }
    }

    @Test("a PBX restart drops the connection and logs in again; subscriptions are forgotten")
    func restart() async throws {
        try await withLoggedInPBX { pbx, service, listener in
            _ = try await service.request(PbxApi.SubscribePresence(sip: "alice"))
            await pbx.restart()
            try await pbx.waitUntil { $0.connections == 2 && $0.appInfoResult != nil }
            #expect(await service.closed)
            let second = try await listener.connection(1)
            #expect(await second.login?.sip == "kuando")
            try await pbx.changePresenceManually(of: "alice", activity: "away")
            #expect(await pbx.state.framesToService.filter { $0.mt == "PresenceUpdate" }.count == 1)
        }
    }
}
