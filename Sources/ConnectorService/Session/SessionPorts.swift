import KuandoSync

/// What a user session needs from the PBX: the PbxApi requests that act for this user.
///
/// Implementations throw when the PBX refuses or the link is down; the session records the
/// error for the status panel and carries on (the next PBX reconnect resynchronises).
public protocol PBXUserPort: Sendable {
    /// PbxApi `SetPresence` for the user's `tel:` contact.
    func setPresence(_ presence: PBXPresence, for user: UserKey) async throws
    /// PbxApi `AddAlienCall` (through PbxImpersonation for the user); returns the alien call id.
    func addAlienCall(for user: UserKey) async throws -> String
    /// PbxApi `DelAlienCall` for an id `addAlienCall` returned.
    func removeAlienCall(_ id: String, for user: UserKey) async throws
}

/// What a user session needs from the user's kuandoHUB, whatever the transport (direct or relay).
public protocol HubPort: Sendable {
    /// `RegisterDataSource` + `CreateInitialPriority` for the connector's data source.
    func register() async throws
    /// Claims `state` with `appearance` as the connector's data source.
    func show(_ state: LampState, _ appearance: LampAppearance) async throws
    /// Withdraws the connector's claim (`Off`).
    func release() async throws
    /// The hub's current winner (`currentpresence`).
    func currentPresence() async throws -> HubWinner
    /// `Logout` for the connector's data source, on shutdown.
    func logout() async throws
}
