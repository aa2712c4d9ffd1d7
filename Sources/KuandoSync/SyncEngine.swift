/// The synchronisation rules for one user, as a pure state machine: inputs in, effects out.
///
/// The seed's three rules, made precise (DESIGN.md §3):
///
/// 1. **Calls overwrite presence.** While the user has a PBX call, the connector claims the call
///    state on the hub (ringing, on the phone, held) whatever the presence. While the hub's winner
///    is a call in a 3rd-party app, the PBX user is on the phone (an alien call, or `busy` with a
///    note naming the app where the PBX has no alien calls, restored afterwards).
/// 2. **A manual presence in myApps overwrites a presence from the hub.** A PBX presence the
///    engine did not write itself is the user's own choice; hub presences are ignored until
///    the user is available again, and then the hub's presence applies at once.
/// 3. **The hub decides between 3rd-party states.** Only its single winner is read and mapped
///    with the seed's table; the connector's own state echoed back is never re-imported, and
///    a pair the table does not know changes no presence.
///
/// A 3rd-party call lasts exactly as long as the hub's winner maps to `onthephone`: when
/// anything else wins (another app, the connector's own state, nothing), the call is over as far
/// as anyone can tell, and the PBX is released.
///
/// ```swift
/// var engine = SyncEngine(config: .defaults)
/// engine.handle(.call(CallChange(id: "1", direction: .incoming, phase: .alerting)))
/// // [.showOnHub(.ringing, …), .trace("kuandoconnector-log: debug - lamp_call_state: ringing"), …]
/// ```
public struct SyncEngine: Sendable {
    /// The data source name the connector registers with the hub; a winner with this sender is our echo.
    public let dataSourceName: String
    public let table: MappingTable
    public private(set) var config: UserConfig
    /// Whether the PBX offers alien calls; without them a 3rd-party call is shown as `busy` + note.
    public private(set) var alienCallsSupported: Bool

    /// The user's live PBX calls by call id.
    public private(set) var calls: [String: CallChange] = [:]
    /// The user's PBX presence, as last reported or written.
    public private(set) var pbxPresence: PBXPresence = .available
    /// The presence the user chose in myApps, while it is not "available" (rule 2).
    public private(set) var manualPresence: PBXPresence?
    /// The hub's winner, as last read.
    public private(set) var hubWinner: HubWinner = .none
    /// The application whose call currently marks the PBX user on the phone.
    public private(set) var thirdPartyCall: String?
    /// What the connector claims on the hub; nil when it claims nothing.
    public private(set) var shownOnHub: LampState?

    private var shownAppearance: LampAppearance?
    /// Presences written by the engine whose echo from the PBX has not arrived yet.
    private var pendingWrites: [PBXPresence] = []
    /// The hub presence the engine put on the PBX, if any.
    private var appliedHubPresence: PresenceState?
    /// Without alien calls: the presence to restore when the 3rd-party call ends.
    private var presenceBeforeFallback: PBXPresence?
    private var tracedStates: (myApps: String, call: String, count: Int)?

    public static let defaultDataSourceName = "innovaphone myApps"

    public init(
        config: UserConfig = .defaults, dataSourceName: String = SyncEngine.defaultDataSourceName,
        table: MappingTable = .seed, alienCallsSupported: Bool = true
    ) {
        self.config = config
        self.dataSourceName = dataSourceName
        self.table = table
        self.alienCallsSupported = alienCallsSupported
    }

    /// Applies one input and returns what must happen because of it.
    public mutating func handle(_ input: SyncInput) -> [SyncEffect] {
        var effects: [SyncEffect] = []
        switch input {
        case .call(let change):
            if change.phase == .ended {
                calls.removeValue(forKey: change.id)
            } else {
                calls[change.id] = change
            }
        case .pbxPresence(let presence):
            effects += receivePresence(presence)
        case .hubWinner(let winner):
            guard winner != hubWinner else { return [] }
            hubWinner = winner
            effects += importHubWinner()
        case .config(let newConfig):
            config = newConfig
            effects += importHubWinner(tracing: false)
        case .pbxConnected(let alienCalls):
            calls.removeAll()
            pendingWrites.removeAll()
            alienCallsSupported = alienCalls
            if let running = thirdPartyCall, alienCalls {
                effects.append(.addAlienCall(application: running))
            }
        case .hubConnected:
            shownOnHub = nil
            shownAppearance = nil
        }
        effects += updateHub()
        effects += traceStates()
        return effects
    }

    /// What the connector's own data source should show: the call state, else a manual presence.
    public var desiredHubState: LampState? {
        if config.showCallsOnHub, let call = callLampState { return call }
        if config.showPresenceOnHub, let state = manualPresence?.state, state != .free {
            return LampState(state)
        }
        return nil
    }

    /// The state the user's PBX calls give, or nil with no call.
    public var callLampState: LampState? {
        let live = calls.values
        if live.contains(where: { $0.phase == .connected }) { return .onthephone }
        if live.contains(where: { $0.direction == .incoming && ($0.phase == .alerting || $0.phase == .setup) }) {
            return .ringing
        }
        if live.contains(where: { $0.phase == .held }) { return .held }
        if !live.isEmpty { return .onthephone }
        return nil
    }

    // MARK: - PBX presence (rule 2)

    private mutating func receivePresence(_ presence: PBXPresence) -> [SyncEffect] {
        if let echo = pendingWrites.firstIndex(of: presence) {
            pendingWrites.removeSubrange(...echo)
            pbxPresence = presence
            return []
        }
        guard presence != pbxPresence else { return [] }
        pendingWrites.removeAll()
        pbxPresence = presence
        presenceBeforeFallback = nil
        appliedHubPresence = nil
        if presence.isAvailable {
            let wasManual = manualPresence != nil
            manualPresence = nil
            var effects: [SyncEffect] = []
            if wasManual {
                effects.append(.trace(Trace.connector("manual presence cleared in myApps, hub presences apply again")))
            }
            return effects + importHubPresence()
        }
        manualPresence = presence
        let name = presence.state?.rawValue ?? presence.activity
        return [.trace(Trace.connector("manual presence in myApps: \(name); it wins over presences from the hub"))]
    }

    private mutating func setPresence(_ presence: PBXPresence) -> [SyncEffect] {
        guard presence != pbxPresence else { return [] }
        pbxPresence = presence
        pendingWrites.append(presence)
        if pendingWrites.count > 8 { pendingWrites.removeFirst() }
        return [.setPBXPresence(presence)]
    }

    // MARK: - Hub winner (rules 1 and 3)

    private enum Reading {
        case nothing
        case own
        case ignored(MappingTable.IgnoreReason)
        case state(PresenceState, application: String)
    }

    private var reading: Reading {
        guard let sender = hubWinner.sender, !hubWinner.isNone else { return .nothing }
        if sender == dataSourceName { return .own }
        switch table.map(platform: sender, event: hubWinner.eventName ?? "") {
        case .ignored(let reason): return .ignored(reason)
        case .state(let state): return .state(state, application: sender)
        }
    }

    private mutating func importHubWinner(tracing: Bool = true) -> [SyncEffect] {
        var effects: [SyncEffect] = []
        let current = reading
        if tracing {
            effects.append(.trace(Trace.connector("3rd party state result: \(hubWinner.traceText)")))
            switch current {
            case .nothing: break
            case .own: effects.append(.trace(Trace.connector("transforming: ignored, own state of \(dataSourceName)")))
            case .ignored(let reason): effects.append(.trace(Trace.connector(reason.rawValue)))
            case .state(let state, _): effects.append(.trace(Trace.connector("transforming: \(state.rawValue)")))
            }
        }
        if case .state(.onthephone, let application) = current, config.hubCallsToPBX {
            effects += setThirdPartyCall(application)
        } else {
            effects += setThirdPartyCall(nil)
        }
        switch current {
        case .state(.onthephone, _), .ignored, .own: break
        case .state(let state, _): effects += applyHubPresence(state)
        case .nothing: effects += withdrawHubPresence()
        }
        return effects
    }

    /// Re-applies the hub's presence after the user cleared a manual one.
    private mutating func importHubPresence() -> [SyncEffect] {
        if case .state(let state, _) = reading, state != .onthephone { return applyHubPresence(state) }
        return []
    }

    private mutating func applyHubPresence(_ state: PresenceState) -> [SyncEffect] {
        guard config.hubPresenceToPBX else { return [] }
        if let manualPresence {
            let manual = manualPresence.state?.rawValue ?? manualPresence.activity
            return [.trace(Trace.connector(
                "hub presence \(state.rawValue) ignored: the manual presence \(manual) in myApps wins"))]
        }
        appliedHubPresence = state
        if thirdPartyCall != nil, !alienCallsSupported {
            presenceBeforeFallback = state.pbxPresence
            return []
        }
        return setPresence(state.pbxPresence)
    }

    private mutating func withdrawHubPresence() -> [SyncEffect] {
        guard appliedHubPresence != nil else { return [] }
        appliedHubPresence = nil
        if thirdPartyCall != nil, !alienCallsSupported {
            presenceBeforeFallback = .available
            return []
        }
        return setPresence(.available)
    }

    private mutating func setThirdPartyCall(_ application: String?) -> [SyncEffect] {
        guard application != thirdPartyCall else { return [] }
        let previous = thirdPartyCall
        thirdPartyCall = application
        switch (previous, application) {
        case (nil, let started?):
            if alienCallsSupported { return [.addAlienCall(application: started)] }
            presenceBeforeFallback = pbxPresence
            return setPresence(PBXPresence(activity: "busy", note: SyncEngine.fallbackNote(started)))
        case (_?, nil):
            if alienCallsSupported { return [.removeAlienCall] }
            guard let restore = presenceBeforeFallback else { return [] }
            presenceBeforeFallback = nil
            return setPresence(restore)
        case (_?, let switched?):
            if alienCallsSupported { return [] }
            return setPresence(PBXPresence(activity: "busy", note: SyncEngine.fallbackNote(switched)))
        case (nil, nil):
            return []
        }
    }

    /// The note that names the app on PBXs without alien calls.
    public static func fallbackNote(_ application: String) -> String {
        "on the phone (\(application))"
    }

    // MARK: - Our claim on the hub

    private mutating func updateHub() -> [SyncEffect] {
        let desired = desiredHubState
        let appearance = desired.map(config.appearance)
        guard desired != shownOnHub || appearance != shownAppearance else { return [] }
        let wasShowing = shownOnHub != nil
        shownOnHub = desired
        shownAppearance = appearance
        if let desired, let appearance { return [.showOnHub(desired, appearance)] }
        return wasShowing ? [.releaseHub] : []
    }

    private mutating func traceStates() -> [SyncEffect] {
        let now = (
            myApps: pbxPresence.state?.rawValue ?? pbxPresence.activity,
            call: callLampState?.rawValue ?? "free",
            count: calls.count
        )
        let before = tracedStates
        tracedStates = now
        var effects: [SyncEffect] = []
        if before?.myApps != now.myApps { effects.append(.trace(Trace.connector("debug - lamp_myapps_state: \(now.myApps)"))) }
        if before?.call != now.call { effects.append(.trace(Trace.connector("debug - lamp_call_state: \(now.call)"))) }
        if before?.count != now.count { effects.append(.trace(Trace.connector("debug - count_calls: \(now.count)"))) }
        return effects
    }
}
