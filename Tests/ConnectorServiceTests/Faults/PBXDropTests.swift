import AppWebsocket
import Busylight
import Foundation
import KuandoSync
import PBXSimulator
import TestSupport
import Testing
@testable import ConnectorService

/// The PBX's connection drops mid-call and comes back. (``ServiceRulesTests`` covers a restart
/// with the call still running; these cover calls that end or start while the PBX is away.)
@Suite(.serialized) struct PBXDropTests {
    static let alice = UserKey(domain: "example.com", guid: ServiceRig.alice.guid)

    /// Drops the PBX's connection and waits until the service noticed.
    func drop(_ rig: ServiceRig) async throws {
        await rig.pbx.disconnect()
        #expect(await eventually { !rig.server.registry.pbxLinked })
    }

    /// Connects the PBX again and waits until it monitors every user again.
    func reconnect(_ rig: ServiceRig) async throws {
        let monitoredBefore = await rig.pbx.state.events.filter { if case .userMonitored = $0 { true } else { false } }.count
        await rig.pbx.start()
        try await rig.pbx.waitUntil {
            $0.appInfoResult != nil && $0.events.filter { if case .userMonitored = $0 { true } else { false } }.count >= monitoredBefore + 2
        }
    }

    @Test func aCallThatEndedWhileThePBXWasAwayIsClearedAndTheLampGoesDark() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            let session = try await rig.server.registry.session(for: Self.alice)
            let call = try await rig.answeredCall(to: "alice")

            try await drop(rig)
            try await rig.pbx.hangUp(call)
            try await reconnect(rig)

            try await rig.status(of: ServiceRig.alice) { $0.calls.isEmpty && $0.shownOnHub == nil }
            try await rig.lampShows("nothing after the call ended during the drop") { $0.effect == nil || $0.effect == .off }
            #expect(await rig.server.registry.userCount == 2, "no duplicate sessions")
            #expect(try await rig.server.registry.session(for: Self.alice) === session, "the session survived the drop")
        }
    }

    @Test func aCallThatStartedWhileThePBXWasAwayShowsOnceItIsBackAndOnlyOnce() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            let first = try await rig.answeredCall(to: "alice")

            try await drop(rig)
            try await rig.pbx.hangUp(first)
            let second = try await rig.pbx.startOutgoingCall(from: "alice", to: "0307654")
            try await rig.pbx.connect(second)
            try await reconnect(rig)

            try await rig.status(of: ServiceRig.alice) { $0.calls.map(\.id) == [String(second)] && $0.shownOnHub == .onthephone }
            try await rig.pbx.hangUp(second)
            try await rig.status(of: ServiceRig.alice) { $0.calls.isEmpty }
            try await rig.lampShows("nothing after the second call") { $0.effect == nil || $0.effect == .off }
            #expect(await rig.server.registry.userCount == 2)
        }
    }

    @Test func repeatedDropsNeverDuplicateSessionsOrLeaveTheLampRed() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            for round in 0..<3 {
                let call = try await rig.pbx.startIncomingCall(to: "alice", from: "030\(round)")
                try await rig.pbx.alert(call)
                try await rig.status(of: ServiceRig.alice) { $0.calls.count == 1 }
                try await drop(rig)
                try await rig.pbx.hangUp(call)
                try await reconnect(rig)
                try await rig.status(of: ServiceRig.alice) { $0.calls.isEmpty && $0.shownOnHub == nil }
            }
            try await rig.lampShows("dark after the last drop") { $0.effect == nil || $0.effect == .off }
            #expect(await rig.server.registry.userCount == 2)
            #expect(await rig.pbx.state.connections == 4)
        }
    }
}
