/// Everything that can change what a user's lamp and presence should be.
public enum SyncInput: Equatable, Sendable {
    /// A PBX call of the user changed (RCC `CallInfo`, or myApps phoneinfo).
    case call(CallChange)
    /// The user's own (`tel:`) presence, as the PBX reports it.
    case pbxPresence(PBXPresence)
    /// The hub's current winning state, as read from `currentpresence`.
    case hubWinner(HubWinner)
    /// The user saved new settings.
    case config(UserConfig)
    /// The PBX link was (re)established: every call the engine knew is forgotten (the PBX
    /// reports the live ones again), and a 3rd-party call still running is put on the PBX again.
    /// `alienCalls` tells whether the PBX offers AddAlienCall for this user.
    case pbxConnected(alienCalls: Bool)
    /// The hub link was (re)established and the data source registered: the hub holds no
    /// claim of ours, so the current state is sent again.
    case hubConnected
}

/// What the session must do for an input. Effects come in the order they should be carried out.
public enum SyncEffect: Equatable, Sendable {
    /// Claim this state on the hub as the connector's data source, shown with this appearance.
    case showOnHub(LampState, LampAppearance)
    /// Withdraw the connector's claim on the hub (`Off`): lower-priority sources show again.
    case releaseHub
    /// Set the user's PBX presence (PbxApi `SetPresence`, contact `tel:`).
    case setPBXPresence(PBXPresence)
    /// Mark the user on the phone for a call in another application (PbxApi `AddAlienCall`).
    case addAlienCall(application: String)
    /// End the alien call added before (PbxApi `DelAlienCall`).
    case removeAlienCall
    /// A trace line, with its `kuandoconnector-log:` prefix.
    case trace(String)
}
