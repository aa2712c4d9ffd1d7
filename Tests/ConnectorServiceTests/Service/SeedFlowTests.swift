import AppWebsocket
import Busylight
import Foundation
import KuandoHub
import KuandoSync
import PBXSimulator
import Testing
@testable import ConnectorService

/// The seed's example flow and its synchronisation rules, end to end: PBX simulator → service →
/// open hub → simulated lamp, and back.
@Suite(.serialized) struct SeedFlowTests {
    @Test func anIncomingPBXCallRingsThenShowsOnThePhoneThenReleases() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            let call = try await rig.pbx.startIncomingCall(to: "alice", from: "0301234")
            try await rig.pbx.alert(call)
            try await rig.lampShows("ringing (blinking red)") {
                if case .blink(let color, _, _)? = $0.effect { color == .red100 } else { false }
            }
            try await rig.pbx.connect(call)
            try await rig.lampShows("on the phone (solid red)") { $0.effect == .solid(.red100) }
            try await rig.pbx.hangUp(call)
            try await rig.lampShows("nothing once the call ended") { $0.effect == nil || $0.effect == .off }
        }
    }

    @Test func aTeamsCallOnTheHubPutsThePBXUserOnThePhoneUntilItEnds() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
            let transport = HTTPHubTransport()
            defer { Task { try await transport.shutdown() } }
            let teams = HubClient(configuration: .init(baseURL: "http://127.0.0.1:\(URLComponents(string: rig.hubURL)!.port!)/", dataSourceName: "MS Teams"), transport: transport)
            try await teams.register()
            try await teams.show(.onthephone, LampAppearance(color: .red))
            try await rig.pbx.waitUntil(timeout: .seconds(10)) { $0.isOnThePhone("alice") }
            try await rig.status(of: ServiceRig.alice) { $0.thirdPartyCall == "MS Teams" }
            try await teams.logout()
            try await rig.pbx.waitUntil(timeout: .seconds(10)) { !$0.isOnThePhone("alice") }
        }
    }

    @Test func aManualDNDShowsOnTheHubAndBeatsManualChangerAway() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
            try await rig.pbx.changePresenceManually(of: "alice", activity: "dnd")
            let purple = BusylightColor(red255: 160, green255: 0, blue255: 255)
            try await rig.lampShows("DND (purple)") { $0.effect == .solid(purple) }
            let transport = HTTPHubTransport()
            defer { Task { try await transport.shutdown() } }
            let changer = HubClient(configuration: .init(baseURL: "http://127.0.0.1:\(URLComponents(string: rig.hubURL)!.port!)/", dataSourceName: "Manual Changer"), transport: transport)
            try await changer.register()
            try await changer.show(.away, LampAppearance(color: .yellow))
            try await rig.status(of: ServiceRig.alice) { $0.hubWinner.sender == "Manual Changer" || $0.hubWinner.sender == "innovaphone myApps" }
            let presence = await rig.pbx.state.telPresence(of: "alice")
            #expect(presence?.activity == "dnd")
        }
    }

    @Test func manualChangerLunchSetsThePBXAwayWithTheNoteLunch() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
            let transport = HTTPHubTransport()
            defer { Task { try await transport.shutdown() } }
            let changer = HubClient(configuration: .init(baseURL: "http://127.0.0.1:\(URLComponents(string: rig.hubURL)!.port!)/", dataSourceName: "Manual Changer"), transport: transport)
            try await changer.register()
            try await changer.show(.lunch, LampAppearance(color: .yellow))
            try await rig.pbx.waitUntil(timeout: .seconds(10)) { $0.telPresence(of: "alice")?.activity == "away" && $0.telPresence(of: "alice")?.note == "lunch" }
        }
    }
}
