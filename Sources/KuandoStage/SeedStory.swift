import Busylight
import KuandoHub
import KuandoSync
import PBXSimulator

/// The seed's example flow as a story, one ``StoryStep`` per effect:
///
/// 1. an incoming PBX call: the lamp rings, shows "on the phone" when answered, goes dark when released;
/// 2. a call in MS Teams, posted to the hub as Teams' plugin does: the PBX shows the user on
///    the phone (an alien call) and the service names Teams, until the call ends;
/// 3. the user's manual DND in myApps beats Manual Changer "Away" on the hub;
/// 4. DND cleared, Manual Changer's presences reach the PBX: "Away", then "Lunch" (away with
///    the note lunch), then nothing once Manual Changer withdraws;
/// 5. an application the seed's table does not know posts a call: the service ignores it.
public enum SeedStory {
    static let caller = "0301234567"
    static let teams = "MS Teams"
    static let manualChanger = "Manual Changer"
    static let unknownApp = "Acme Chat"
    static let ignoredTrace = MappingTable.IgnoreReason.unknownApplication.rawValue

    public static func steps(_ expect: StoryExpectations = StoryExpectations()) -> [StoryStep] {
        let sip = StoryStage.user.sip
        return [
            StoryStep(id: "1a", name: "incoming PBX call: ringing", expected: "the lamp ringing") { stage in
                let call = try await stage.pbx.startIncomingCall(to: sip, from: caller, name: "Customer")
                try await stage.pbx.alert(call)
                let ringing = expect.ringing
                try await stage.lampShows("the lamp \(expect.describe(ringing)) (ringing)") { $0.effect == ringing }
                return "call from \(caller) alerts \(sip); the lamp rings"
            },
            StoryStep(id: "1b", name: "answered: on the phone", expected: "the lamp on the phone") { stage in
                try await stage.pbx.connect(try await callOnPBX(stage))
                let onthephone = expect.effect(.onthephone)
                try await stage.lampShows("the lamp \(expect.describe(onthephone)) (on the phone)") { $0.effect == onthephone }
                return "\(sip) answers; the lamp shows on the phone"
            },
            StoryStep(id: "1c", name: "released: free", expected: "the lamp dark") { stage in
                try await stage.pbx.hangUp(try await callOnPBX(stage))
                try await stage.lampShows("the lamp dark (free, no presence to show)") { !($0.effect?.showsAnything ?? false) }
                return "the caller hangs up; the lamp goes dark (free)"
            },
            StoryStep(id: "2a", name: "Teams call on the hub", expected: "the PBX user on the phone") { stage in
                let app = stage.app(teams)
                try await app.register(eventTypes: ["Call": ["Call Alert", "On-The-Phone", "In-a-Conference"]])
                try await app.show(expect.action(.onthephone), eventType: "Call", eventName: "On-The-Phone")
                try await stage.pbxShows("an alien call for \(sip) on the PBX") { !($0.alienCalls[sip] ?? []).isEmpty }
                try await stage.statusShows("the service naming \(teams) as the app of the call") { $0.thirdPartyCall == teams }
                return "\(teams) posts On-The-Phone; the PBX shows \(sip) on the phone (alien call) in \(teams)"
            },
            StoryStep(id: "2b", name: "Teams call ends", expected: "the alien call removed") { stage in
                try await stage.app(teams).logout()
                try await stage.pbxShows("no alien call for \(sip) on the PBX") { ($0.alienCalls[sip] ?? []).isEmpty }
                try await stage.lampShows("the lamp dark") { !($0.effect?.showsAnything ?? false) }
                return "\(teams) logs out; the PBX removes the alien call, the lamp goes dark"
            },
            StoryStep(id: "3a", name: "manual DND in myApps", expected: "the lamp DND") { stage in
                try await stage.pbx.changePresenceManually(of: sip, activity: "dnd")
                let dnd = expect.effect(.dnd)
                try await stage.lampShows("the lamp \(expect.describe(dnd)) (DND)") { $0.effect == dnd }
                return "\(sip) sets DND in myApps; the lamp shows DND"
            },
            StoryStep(id: "3b", name: "DND beats Manual Changer Away", expected: "the lamp DND and the PBX dnd") { stage in
                let app = stage.app(manualChanger)
                try await app.register(eventTypes: ["Presence": ["Available", "Busy", "Away", "DND", "Lunch"]])
                try await app.show(expect.action(.away), eventType: "Presence", eventName: "Away")
                // Two reads: the first may have left before Manual Changer's post arrived.
                try await stage.hubReads(2)
                let dnd = expect.effect(.dnd)
                let board = await stage.hub.board
                let lamp = await stage.lamp.snapshot()
                let presence = await stage.pbx.state.telPresence(of: sip)
                guard board.claims.contains(where: { $0.sender == manualChanger }), board.winner()?.sender == SyncEngine.defaultDataSourceName,
                    lamp.effect == dnd, presence?.activity == "dnd"
                else {
                    throw StoryStepFailure(
                        expected: "\(manualChanger)'s Away claimed but ranked below \(SyncEngine.defaultDataSourceName), the lamp \(expect.describe(dnd)) and the PBX presence dnd",
                        seen: "the hub's winner \(board.winner()?.sender ?? "none"), the lamp \(LampShade(lamp).text), the PBX shows "
                            + StoryStage.describe(await stage.pbx.state))
                }
                return "\(manualChanger) posts Away, ranked below \(SyncEngine.defaultDataSourceName) on the hub; the lamp stays DND, the PBX presence stays dnd"
            },
            StoryStep(id: "4a", name: "DND cleared: hub presence applies", expected: "the PBX presence away") { stage in
                try await stage.pbx.changePresenceManually(of: sip, activity: "")
                try await stage.pbxShows("the PBX presence away (from \(manualChanger))") {
                    $0.telPresence(of: sip)?.activity == "away" && $0.telPresence(of: sip)?.note == ""
                }
                let away = expect.effect(.away)
                try await stage.lampShows("the lamp \(expect.describe(away)) (\(manualChanger) Away)") { $0.effect == away }
                return "\(sip) clears DND; \(manualChanger)'s Away now shows and the PBX presence is away"
            },
            StoryStep(id: "4b", name: "Manual Changer Lunch", expected: "the PBX presence away, note lunch") { stage in
                try await stage.app(manualChanger).show(expect.action(.lunch), eventType: "Presence", eventName: "Lunch")
                try await stage.pbxShows("the PBX presence away with the note lunch") {
                    $0.telPresence(of: sip)?.activity == "away" && $0.telPresence(of: sip)?.note == "lunch"
                }
                return "\(manualChanger) posts Lunch; the PBX presence is away, note \"lunch\""
            },
            StoryStep(id: "4c", name: "back from lunch", expected: "the PBX presence available") { stage in
                try await stage.app(manualChanger).logout()
                try await stage.pbxShows("the PBX presence available") { ($0.telPresence(of: sip)?.activity ?? "") == "" }
                try await stage.lampShows("the lamp dark") { !($0.effect?.showsAnything ?? false) }
                return "\(manualChanger) logs out; the PBX presence is available again, the lamp dark"
            },
            StoryStep(id: "5", name: "unknown app ignored", expected: "the trace \"\(ignoredTrace)\"") { stage in
                let lines = stage.traceLines()
                let app = stage.app(unknownApp)
                try await app.register(eventTypes: ["Call": ["On-The-Phone"]])
                try await app.show(.light(BusylightColor(red: 0, green: 100, blue: 100)), eventType: "Call", eventName: "On-The-Phone")
                let line = try await stage.traceLine(containing: ignoredTrace, in: lines)
                try await stage.hubReads(1)
                let pbx = await stage.pbx.state
                guard (pbx.alienCalls[sip] ?? []).isEmpty, (pbx.telPresence(of: sip)?.activity ?? "") == "" else {
                    throw StoryStepFailure(expected: "the PBX unchanged (no alien call, available)", seen: "the PBX shows " + StoryStage.describe(pbx))
                }
                return "\(unknownApp) posts On-The-Phone; the hub shows it, the service traces \"\(line)\", the PBX is unchanged"
            },
        ]
    }

    /// The demo user's running call on the PBX.
    private static func callOnPBX(_ stage: StoryStage) async throws -> Int {
        let sip = StoryStage.user.sip
        guard let call = await stage.pbx.state.calls.values.first(where: { $0.user == sip }) else {
            throw StoryStepFailure(expected: "a call of \(sip) on the PBX", seen: "none")
        }
        return call.id
    }
}

/// What the lamp should show for each state: what the demo user's configuration (the defaults)
/// makes the hub show.
public struct StoryExpectations: Sendable {
    /// Replaces the ringing colour the story waits for (a test makes a step fail with it).
    public var ringingColor: BusylightColor?

    public init(ringingColor: BusylightColor? = nil) {
        self.ringingColor = ringingColor
    }

    /// The hub command showing `state` as the user's configuration says.
    func action(_ state: LampState) -> HubAction {
        HubClient.request(showing: state, UserConfig.defaults.appearance(state), sender: SyncEngine.defaultDataSourceName).action
    }

    func effect(_ state: LampState) -> BusylightEffect {
        action(state).lampEffect ?? .off
    }

    /// The ringing effect, in ``ringingColor`` when one is given.
    var ringing: BusylightEffect {
        guard let ringingColor, case .blink(_, let on, let off) = effect(.ringing) else { return effect(.ringing) }
        return .blink(ringingColor, onTime: on, offTime: off)
    }

    /// `#FF0000 blink`.
    func describe(_ effect: BusylightEffect) -> String {
        var snapshot = SimulatedLampSnapshot(info: LampInfo(path: "expected", model: .omega2))
        snapshot.effect = effect
        return LampShade(snapshot).text
    }
}
