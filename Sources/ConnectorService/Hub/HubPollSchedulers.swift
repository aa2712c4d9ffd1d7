/// The schedulers of a process's hub links: relayed hubs apart from direct ones, so hidden apps
/// that answer slowly (a relayed request may take ``AppPeer/relayTimeout``) never hold up the
/// polls of direct hubs. The instances of one process share them.
public struct HubPollSchedulers: Sendable {
    /// Hubs the service calls itself.
    public let direct: HubPollScheduler
    /// Hubs on users' PCs, reached through their hidden apps; mostly watched by the app, so their
    /// steps are few, short and not urgent (a watchdog's check, a registration's retry): its
    /// driver looks for due links every 100 ms, not every 5 ms, which at 10,000 relayed users
    /// saves most of the service's idle CPU (the thread wake-ups, `BENCHMARKS.md` run H).
    public let relayed: HubPollScheduler

    public init(
        direct: HubPollScheduler = HubPollScheduler(maximumInFlight: 64),
        relayed: HubPollScheduler = HubPollScheduler(maximumInFlight: 256, tick: .milliseconds(100))
    ) {
        self.direct = direct
        self.relayed = relayed
    }
}
