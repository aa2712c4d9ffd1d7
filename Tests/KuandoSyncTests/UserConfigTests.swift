import Foundation
import Testing
@testable import KuandoSync

@Suite struct UserConfigTests {
    @Test func theDefaultsAreValidAndCoverEveryState() {
        #expect(UserConfig.defaults.problems().isEmpty)
        #expect(Set(UserConfig.defaults.lamp.keys) == Set(LampState.allCases))
        #expect(UserConfig.defaults.hubUrl == "http://localhost:8989/")
        #expect(UserConfig.defaults.pollIntervalMs == 1000)
    }

    @Test func aConfigRoundTripsThroughJSONWithCamelCaseKeysAndHexColours() throws {
        let data = try JSONEncoder().encode(UserConfig.defaults)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["hubUrl", "hubToken", "pollIntervalMs", "showCallsOnHub", "showPresenceOnHub", "hubCallsToPBX", "hubPresenceToPBX", "lamp"])
        let lamp = try #require(object["lamp"] as? [String: [String: Any]])
        #expect(lamp["ringing"]?["color"] as? String == "#FF0000")
        #expect(try JSONDecoder().decode(UserConfig.self, from: data) == UserConfig.defaults)
    }

    @Test func anOlderStoredConfigWithMissingKeysReadsWithDefaults() throws {
        let stored = Data(##"{"hubUrl":"http://10.0.0.5:8989/","lamp":{"busy":{"color":"#0000ff","effect":"pulse","sound":0,"volume":0,"onTime":5,"offTime":5}}}"##.utf8)
        let config = try JSONDecoder().decode(UserConfig.self, from: stored)
        #expect(config.hubUrl == "http://10.0.0.5:8989/")
        #expect(config.pollIntervalMs == 1000)
        #expect(config.appearance(.busy) == LampAppearance(color: LampColor(red: 0, green: 0, blue: 255), effect: .pulse))
        #expect(config.appearance(.ringing) == UserConfig.defaultLamp[.ringing])
    }

    @Test func aPatchChangesOnlyTheKeysItNames() throws {
        let patched = try UserConfig.defaults.applying(patch: Data(##"{"hubToken":"abc123","lamp":{"dnd":{"color":"#112233","effect":"blink","sound":3,"volume":75,"onTime":7,"offTime":3}}}"##.utf8))
        #expect(patched.hubToken == "abc123")
        #expect(patched.hubUrl == UserConfig.defaults.hubUrl)
        #expect(patched.appearance(.dnd) == LampAppearance(color: LampColor(red: 0x11, green: 0x22, blue: 0x33), effect: .blink, sound: 3, volume: 75, onTime: 7, offTime: 3))
        #expect(patched.appearance(.busy) == UserConfig.defaults.appearance(.busy))
        #expect(patched.problems().isEmpty)
    }

    @Test(arguments: [
        (#"{"pollIntervalMs":"fast"}"#, "pollIntervalMs"),
        (#"{"nonsense":1}"#, "nonsense"),
        (#"{"lamp":{"busy":{"color":"red","effect":"solid","sound":0,"volume":0,"onTime":5,"offTime":5}}}"#, "lamp.busy.color"),
        (#"[1,2]"#, "config"),
        (#"{"hubUrl":"#, "config"),
    ])
    func aMalformedPatchIsRefusedNamingTheField(patch: String, field: String) {
        #expect {
            _ = try UserConfig.defaults.applying(patch: Data(patch.utf8))
        } throws: { error in
            (error as? ConfigPatchError)?.problems.contains { $0.field == field } == true
        }
    }

    @Test(arguments: [
        (#"{"hubUrl":"ftp://hub/"}"#, "hubUrl"),
        (#"{"hubUrl":"not a url"}"#, "hubUrl"),
        (#"{"hubUrl":"http://user:pw@hub:8989/"}"#, "hubUrl"),
        (#"{"hubToken":"has space"}"#, "hubToken"),
        (#"{"pollIntervalMs":10}"#, "pollIntervalMs"),
        (##"{"lamp":{"ringing":{"color":"#FF0000","effect":"blink","sound":9,"volume":50,"onTime":5,"offTime":5}}}"##, "lamp.ringing.sound"),
        (##"{"lamp":{"held":{"color":"#FF0000","effect":"blink","sound":0,"volume":101,"onTime":0,"offTime":5}}}"##, "lamp.held.volume"),
        (##"{"lamp":{"held":{"color":"#FF0000","effect":"blink","sound":0,"volume":100,"onTime":0,"offTime":5}}}"##, "lamp.held.onTime"),
    ])
    func outOfRangeValuesAreProblemsNamingTheField(patch: String, field: String) throws {
        let config = try UserConfig.defaults.applying(patch: Data(patch.utf8))
        #expect(config.problems().map(\.field).contains(field))
    }

    @Test func coloursScaleToTheHubsPercentages() {
        #expect(LampColor.red.percent == (100, 0, 0))
        #expect(LampColor(red: 128, green: 1, blue: 254).percent == (50, 0, 100))
        #expect(LampColor(hex: "#80ff00")?.hex == "#80FF00")
        #expect(LampColor(hex: "12345") == nil)
        #expect(LampColor(hex: "#GG0000") == nil)
    }

    @Test func hubURLsOnTheUsersOwnPCAreRelayed() {
        #expect(HubURL.isUserLocal("http://localhost:8989/"))
        #expect(HubURL.isUserLocal("http://127.0.0.1:8989/"))
        #expect(HubURL.isUserLocal("http://[::1]:8989/"))
        #expect(!HubURL.isUserLocal("http://10.0.0.5:8989/"))
        #expect(!HubURL.isUserLocal("http://localhost.example.com:8989/"))
        // Only literal loopback addresses and exactly `localhost`: names are not judged by their looks.
        #expect(HubURL.isUserLocal("http://127.8.9.10:8989/"))
        #expect(!HubURL.isUserLocal("http://127.evil.example:8989/"))
        #expect(!HubURL.isUserLocal("http://hub.localhost:8989/"))
        #expect(!HubURL.isUserLocal("http://127.0.0.1.nip.io:8989/"))
        #expect(!HubURL.isUserLocal("http://127.256.0.1:8989/"))
    }

    @Test func presenceStatesMapToPBXActivities() {
        #expect(PresenceState.lunch.pbxPresence == PBXPresence(activity: "away", note: "lunch"))
        #expect(PresenceState.free.pbxPresence == .available)
        #expect(PBXPresence(activity: "away", note: "Lunch").state == .lunch)
        #expect(PBXPresence(activity: "vacation").state == nil)
        for state in PresenceState.allCases where state != .onthephone {
            #expect(state.pbxPresence.state == state)
        }
    }

    @Test func lampStatesRoundTripThroughTheirHubEventNames() {
        for state in LampState.allCases {
            #expect(LampState(hubEventType: state.hubEventType, hubEventName: state.hubEventName) == state)
        }
        #expect(LampState.hubEventNames["Call"] == ["Ringing", "On the phone", "Held"])
    }
}
