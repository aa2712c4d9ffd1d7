import ServiceLifecycle

/// Rescans lamps now and then so a lamp plugged in later shows the winner; darkens them when
/// the hub stops.
struct LampRefresh: Service {
    let hub: OpenHub
    let interval: Duration

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                await hub.syncLamps()
            }
        }
        await hub.darkenLamps()
    }
}
