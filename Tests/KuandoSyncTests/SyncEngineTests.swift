import Testing
@testable import KuandoSync

/// One line of a rule sequence: an input, the effects it must cause (traces aside), and trace
/// texts that must appear among its trace lines.
struct Step {
    var input: SyncInput
    var effects: [SyncEffect]
    var traces: [String] = []
}

/// Plays `steps` through `engine` and checks each step, naming the failing step by its number.
@discardableResult
func play(_ steps: [Step], on engine: SyncEngine = SyncEngine(), sourceLocation: SourceLocation = #_sourceLocation) -> SyncEngine {
    var engine = engine
    for (number, step) in steps.enumerated() {
        let all = engine.handle(step.input)
        let effects = all.filter { if case .trace = $0 { false } else { true } }
        let traces = all.compactMap { if case .trace(let line) = $0 { line } else { nil } }
        #expect(effects == step.effects, "step \(number + 1): \(step.input)", sourceLocation: sourceLocation)
        for expected in step.traces {
            #expect(traces.contains { $0.contains(expected) }, "step \(number + 1): no trace \"\(expected)\" in \(traces)", sourceLocation: sourceLocation)
        }
        #expect(traces.allSatisfy { $0.hasPrefix("kuandoconnector-log: ") }, sourceLocation: sourceLocation)
    }
    return engine
}

// Inputs, spelled for reading.
func incoming(_ id: String, _ phase: CallPhase) -> SyncInput { .call(CallChange(id: id, direction: .incoming, phase: phase)) }
func outgoing(_ id: String, _ phase: CallPhase) -> SyncInput { .call(CallChange(id: id, direction: .outgoing, phase: phase)) }
func hub(_ sender: String?, _ type: String? = nil, _ name: String? = nil) -> SyncInput {
    .hubWinner(HubWinner(sender: sender, eventType: type, eventName: name))
}
func presence(_ activity: String, _ note: String = "") -> SyncInput { .pbxPresence(PBXPresence(activity: activity, note: note)) }
func show(_ state: LampState) -> SyncEffect { .showOnHub(state, UserConfig.defaults.appearance(state)) }
func setPresence(_ activity: String, _ note: String = "") -> SyncEffect { .setPBXPresence(PBXPresence(activity: activity, note: note)) }

@Suite struct SyncEngineRuleTests {
    @Test func aPBXCallShowsOnTheHubWhileTheHubShowsTeamsAvailable() {
        play([
            Step(input: hub("MS Teams", "Presence", "Available"), effects: [], traces: ["3rd party state result: MS Teams / Presence / Available", "transforming: ignored, sending event is unknown"]),
            Step(input: incoming("7", .setup), effects: [show(.ringing)]),
            Step(input: incoming("7", .alerting), effects: [], traces: []),
            Step(input: incoming("7", .connected), effects: [show(.onthephone)], traces: ["lamp_call_state: onthephone"]),
            Step(input: incoming("7", .held), effects: [show(.held)]),
            Step(input: incoming("7", .connected), effects: [show(.onthephone)]),
            Step(input: incoming("7", .ended), effects: [.releaseHub], traces: ["lamp_call_state: free", "count_calls: 0"]),
        ])
    }

    @Test func aTeamsCallWhileIdleMakesThePBXUserOnThePhoneUntilItEnds() {
        play([
            Step(input: hub("MS Teams", "Call", "Call Alert"), effects: [.addAlienCall(application: "MS Teams")], traces: ["transforming: onthephone"]),
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: []),
            Step(input: hub("MS Teams", "Presence", "Available"), effects: [.removeAlienCall]),
        ])
    }

    @Test func withoutAlienCallsATeamsCallSetsBusyWithTheAppNamedAndRestoresThePresence() {
        play([
            Step(input: .pbxConnected(alienCalls: false), effects: []),
            Step(input: presence("away"), effects: [show(.away)], traces: ["manual presence in myApps: away"]),
            Step(input: hub("Zoom", "Call", "In-a-Zoom-Meeting"), effects: [setPresence("busy", "on the phone (Zoom)")]),
            Step(input: presence("busy", "on the phone (Zoom)"), effects: []),
            Step(input: hub(nil), effects: [setPresence("away")]),
            Step(input: presence("away"), effects: []),
        ])
    }

    @Test func aTeamsCallDuringAPBXCallIsAddedAndOutlivesIt() {
        play([
            Step(input: outgoing("1", .setup), effects: [show(.onthephone)]),
            Step(input: outgoing("1", .connected), effects: []),
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: [.addAlienCall(application: "MS Teams")]),
            Step(input: outgoing("1", .ended), effects: [.releaseHub]),
            Step(input: hub(nil), effects: [.removeAlienCall]),
        ])
    }

    @Test func aManualDNDBeatsHubPresencesUntilTheUserIsAvailableAgain() {
        play([
            Step(input: presence("dnd"), effects: [show(.dnd)]),
            Step(input: hub("Manual Changer", "Light", "Away"), effects: [], traces: ["hub presence away ignored: the manual presence dnd in myApps wins"]),
            Step(input: presence(""), effects: [setPresence("away"), .releaseHub], traces: ["manual presence cleared"]),
            Step(input: presence("away"), effects: []),
            Step(input: hub(nil), effects: [setPresence("")]),
            Step(input: presence(""), effects: []),
        ])
    }

    @Test func theHubsEchoOfOurOwnStateIsNotReimported() {
        let engine = play([
            Step(input: incoming("3", .alerting), effects: [show(.ringing)]),
            Step(input: hub("innovaphone myApps", "Call", "Ringing"), effects: [], traces: ["transforming: ignored, own state of innovaphone myApps"]),
            Step(input: presence("dnd"), effects: []),
            Step(input: hub("innovaphone myApps", "Presence", "DND"), effects: []),
        ])
        #expect(engine.manualPresence == PBXPresence(activity: "dnd"))
    }

    @Test func manualChangerLunchIsAwayWithTheNoteLunch() {
        play([
            Step(input: hub("Manual Changer", "Light", "Lunch"), effects: [setPresence("away", "lunch")], traces: ["transforming: lunch"]),
            Step(input: presence("away", "lunch"), effects: [], traces: []),
            Step(input: hub("Manual Changer", "Light", "Busy"), effects: [setPresence("busy")]),
            Step(input: hub("Manual Changer", "Light", "Available"), effects: [setPresence("")]),
        ])
    }

    @Test func anUnknownPlatformOnlyTraces() {
        let engine = play([
            Step(input: presence(""), effects: []),
            Step(input: hub("Skype", "Call", "On-The-Phone"), effects: [], traces: ["3rd party state result: Skype / Call / On-The-Phone", "transforming: ignored, sending application is unknown"]),
        ])
        #expect(engine.thirdPartyCall == nil)
        #expect(engine.pbxPresence == .available)
    }

    @Test func anUnknownWinnerEndsARunningThirdPartyCallButLeavesPresenceAlone() {
        play([
            Step(input: hub("Manual Changer", "Light", "Busy"), effects: [setPresence("busy")]),
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: [.addAlienCall(application: "MS Teams")]),
            Step(input: hub("Skype", "Call", "On-The-Phone"), effects: [.removeAlienCall]),
        ])
    }

    @Test func aHubPresenceIsWithdrawnWhenNothingWinsAnyMore() {
        play([
            Step(input: hub("Manual Changer", "Light", "DND"), effects: [setPresence("dnd")]),
            Step(input: presence("dnd"), effects: []),
            Step(input: hub(nil), effects: [setPresence("")]),
        ])
    }

    @Test func aManualChoiceMadeWhileAHubPresenceIsAppliedStays() {
        play([
            Step(input: hub("Manual Changer", "Light", "Busy"), effects: [setPresence("busy")]),
            Step(input: presence("away"), effects: [show(.away)]),
            Step(input: hub(nil), effects: []),
        ])
    }

    @Test func theSameWinnerTwiceChangesNothing() {
        play([
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: [.addAlienCall(application: "MS Teams")]),
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: []),
        ])
    }

    @Test func callsBeatAManualPresenceOnTheHub() {
        play([
            Step(input: presence("dnd"), effects: [show(.dnd)]),
            Step(input: incoming("1", .alerting), effects: [show(.ringing)]),
            Step(input: incoming("1", .connected), effects: [show(.onthephone)]),
            Step(input: incoming("1", .ended), effects: [show(.dnd)]),
        ])
    }

    @Test func twoCallsAtOnceShowTheBusiestAndCountBoth() {
        play([
            Step(input: incoming("1", .connected), effects: [show(.onthephone)], traces: ["count_calls: 1"]),
            Step(input: incoming("2", .alerting), effects: [], traces: ["count_calls: 2"]),
            Step(input: incoming("1", .held), effects: [show(.ringing)]),
            Step(input: incoming("2", .ended), effects: [show(.held)]),
            Step(input: incoming("1", .ended), effects: [.releaseHub]),
        ])
    }

    @Test func aPBXReconnectForgetsCallsAndPutsARunningThirdPartyCallBack() {
        play([
            Step(input: incoming("1", .connected), effects: [show(.onthephone)]),
            Step(input: hub("Webex", "Call", "On-The-Phone"), effects: [.addAlienCall(application: "Webex")]),
            Step(input: .pbxConnected(alienCalls: true), effects: [.addAlienCall(application: "Webex"), .releaseHub], traces: ["count_calls: 0"]),
            Step(input: incoming("9", .connected), effects: [show(.onthephone)]),
        ])
    }

    @Test func aHubReconnectSendsTheCurrentClaimAgain() {
        play([
            Step(input: presence("busy"), effects: [show(.busy)]),
            Step(input: .hubConnected, effects: [show(.busy)]),
            Step(input: presence(""), effects: [.releaseHub]),
            Step(input: .hubConnected, effects: []),
        ])
    }

    @Test func switchesTurnEachDirectionOff() {
        var quiet = UserConfig.defaults
        quiet.showCallsOnHub = false
        quiet.showPresenceOnHub = false
        quiet.hubCallsToPBX = false
        quiet.hubPresenceToPBX = false
        play([
            Step(input: incoming("1", .alerting), effects: [show(.ringing)]),
            Step(input: .config(quiet), effects: [.releaseHub]),
            Step(input: presence("dnd"), effects: []),
            Step(input: presence(""), effects: []),
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: []),
            Step(input: hub("Manual Changer", "Light", "Busy"), effects: []),
        ])
    }

    @Test func turningHubCallsOffEndsTheAlienCall() {
        var noCalls = UserConfig.defaults
        noCalls.hubCallsToPBX = false
        play([
            Step(input: hub("MS Teams", "Call", "On-The-Phone"), effects: [.addAlienCall(application: "MS Teams")]),
            Step(input: .config(noCalls), effects: [.removeAlienCall]),
        ])
    }

    @Test func aNewAppearanceIsShownAtOnce() {
        var config = UserConfig.defaults
        let blue = LampAppearance(color: LampColor(red: 0, green: 0, blue: 255), effect: .pulse)
        config.lamp[.onthephone] = blue
        play([
            Step(input: incoming("1", .connected), effects: [show(.onthephone)]),
            Step(input: .config(config), effects: [.showOnHub(.onthephone, blue)]),
        ])
    }

    @Test func theSeedsStartupTraceVocabulary() {
        var engine = SyncEngine()
        let lines = engine.handle(presence("")).compactMap { if case .trace(let line) = $0 { line } else { nil } }
        #expect(lines == [
            "kuandoconnector-log: debug - lamp_myapps_state: free",
            "kuandoconnector-log: debug - lamp_call_state: free",
            "kuandoconnector-log: debug - count_calls: 0",
        ])
    }

    @Test func theOwnDataSourceNameIsConfigurable() {
        play([
            Step(input: hub("innovaphone myApps", "Call", "Ringing"), effects: [], traces: ["sending application is unknown"]),
            Step(input: hub("Acme Connector", "Call", "Ringing"), effects: [], traces: ["own state of Acme Connector"]),
        ], on: SyncEngine(dataSourceName: "Acme Connector"))
    }
}
