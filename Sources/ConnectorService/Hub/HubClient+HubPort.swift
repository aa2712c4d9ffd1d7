import KuandoHub

/// The hub client is the sessions' way to a hub, direct or relayed.
extension HubClient: HubPort {}
