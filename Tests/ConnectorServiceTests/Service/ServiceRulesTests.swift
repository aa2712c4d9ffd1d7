import AppWebsocket
import Busylight
import Foundation
import KuandoHub
import KuandoSync
import PBXSimulator
import Testing
@testable import ConnectorService

/// The service's own rules, end to end: licensing, relay, the SSRF guard, config isolation, PBX restarts.
@Suite(.serialized) struct ServiceRulesTests {
    @Test func anUnlicensedUserIsToldSoAndGetsNoHubTraffic() async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("bob") { connection in
                let answer = try await connection.request(Frame(AppAPI.SetConfig(config: ["hubUrl": .string(rig.hubURL)])))
                #expect(answer.object["ok"]?.boolValue == true)
                let lamp = try await connection.request(Frame(AppAPI.TestLamp(state: .busy)))
                #expect(lamp.object["ok"]?.boolValue == false)
                #expect(lamp.object["error"]?.stringValue?.contains("App(innovaphone-kuando)") == true)
            }
            let call = try await rig.pbx.startIncomingCall(to: "bob", from: "0301234")
            try await rig.pbx.alert(call)
            try await rig.status(of: ServiceRig.bob) { $0.calls.count == 1 && !$0.licensed }
            let winner = try await rig.server.registry.session(for: UserKey(domain: "example.com", guid: ServiceRig.bob.guid)).status.hubWinner
            #expect(winner.isNone)
            let effect = await rig.lamp.snapshot().effect
            #expect(effect == nil || effect == .off)
        }
    }

    @Test func aHubOnTheUsersPCIsReachedThroughTheHiddenApp() async throws {
        try await ServiceRig.run { rig in
            try await rig.useHubOnUsersPC(for: "alice")
            let hidden = HiddenAppDouble()
            try await hidden.run(on: rig, as: "alice") {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable && $0.hubTransport == "relay" }
                try await rig.answeredCall(to: "alice", showing: "on the phone through the relay")
            }
            #expect(!hidden.recorded.posts.isEmpty)
            try await rig.status(of: ServiceRig.alice) { !$0.hubReachable }
        }
    }

    @Test func aRemoteHubOutsideTheAllowedNetworksIsRefusedAndNothingIsStored() async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("alice") { connection in
                let answer = try await connection.request(Frame(AppAPI.SetConfig(config: ["hubUrl": "http://192.168.1.20:8989/", "hubToken": "abc"])))
                #expect(answer.object["ok"]?.boolValue == false)
                let problems = try #require(answer.object["problems"]?.arrayValue)
                #expect(problems.contains { $0.objectValue?["field"]?.stringValue == "hubUrl" })
                #expect(answer.object["error"]?.stringValue?.contains("outside the networks the admin allowed") == true)
                let config = try await connection.request(Frame(AppAPI.GetConfig()))
                #expect(config.object["config"]?.objectValue?["hubToken"]?.stringValue == "")
            }
        }
    }

    @Test func aUserReadsAndWritesOnlyTheirOwnConfig() async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("alice") { connection in
                let answer = try await connection.request(Frame(AppAPI.SetConfig(config: ["hubToken": "alices-secret", "pollIntervalMs": 2000])))
                #expect(answer.object["ok"]?.boolValue == true)
            }
            try await rig.withApp("bob") { connection in
                let config = try #require(try await connection.request(Frame(AppAPI.GetConfig())).object["config"]?.objectValue)
                #expect(config["hubToken"]?.stringValue == "")
                #expect(config["pollIntervalMs"]?.intValue == 1000)
            }
            let stored = try await rig.server.store.config(for: UserKey(domain: "example.com", guid: ServiceRig.alice.guid))
            #expect(stored?.hubToken == "alices-secret")
        }
    }

    @Test func theHiddenAppCannotTouchTheConfig() async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("alice", AppNames.hidden) { connection in
                let answer = try await connection.request(Frame(AppAPI.GetConfig()))
                #expect(answer.object["ok"]?.boolValue == false)
                #expect(answer.object["error"]?.stringValue == "the hidden app only relays")
            }
        }
    }

    @Test func aPBXRestartMidCallLeavesNoLampRed() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            let call = try await rig.answeredCall(to: "alice")
            await rig.pbx.restart()
            try await rig.pbx.waitUntil { $0.appInfoResult != nil && $0.events.filter { if case .userMonitored = $0 { true } else { false } }.count >= 4 }
            try await rig.status(of: ServiceRig.alice) { $0.calls.count == 1 }
            try await rig.pbx.hangUp(call)
            try await rig.lampShows("nothing after the call ended") { $0.effect == nil || $0.effect == .off }
            #expect(await rig.server.registry.userCount == 2)
        }
    }

    @Test func anUnknownPlatformOnTheHubChangesNothingOnThePBX() async throws {
        try await ServiceRig.run { rig in
            try await rig.useOpenHub(for: "alice")
            try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
            try await rig.withHubSource("Skype") { skype in
                try await skype.register()
                try await skype.show(.onthephone, LampAppearance(color: .red))
                try await rig.status(of: ServiceRig.alice) { $0.hubWinner.sender == "Skype" }
            }
            let state = await rig.pbx.state
            #expect(!state.isOnThePhone("alice"))
            #expect(state.telPresence(of: "alice") == nil || state.telPresence(of: "alice")?.activity == "")
        }
    }
}
