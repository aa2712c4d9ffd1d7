import AppWebsocket
import Synchronization

/// Sends `KeepAlive` on the service's connections that sent nothing for their interval, from one
/// task for all of them instead of a timer each.
///
/// A proxy in front of the service closes a websocket that carries nothing from the service for
/// a while (nginx: 60 s unless `proxy_read_timeout` is raised), so an idle app gets `KeepAlive`
/// every ``ConnectorEndpoint/Limits/keepAliveInterval``. With a timer per connection, 10,000
/// idle apps woke 10,000 timers an interval, each on its own: most of the service's CPU while
/// the hubs are watched by the apps (BENCHMARKS.md, run I). Here the due connections are taken
/// together once a ``tick``, so the threads wake once for all of them, from a heap of due times:
/// a tick costs the due connections, not all of them (a scan of 10,000 entries a second was a
/// tenth of the service's CPU in that load). A connection is looked at
/// again its interval after it last sent anything, so it is never idle for much more than its
/// interval and a tick. Each `KeepAlive` goes out on a task of its own: a peer that does not read
/// holds up only its own.
final class KeepAliveSweeper: Sendable {
    /// The one for the process: every endpoint's connections share its task.
    static let shared = KeepAliveSweeper()

    /// How often due connections are looked for.
    let tick: Duration

    private struct Entry {
        let connection: AppWebsocketConnection
        let interval: Duration
    }

    private struct State {
        /// Out while its `KeepAlive` is on its way.
        var entries = DueQueue<ObjectIdentifier, Entry>()
        var running = false
    }

    private let state = Mutex(State())

    init(tick: Duration = .seconds(1)) {
        self.tick = tick
    }

    /// Keeps `connection` from being idle for longer than `interval` until ``remove(_:)``.
    func add(_ connection: AppWebsocketConnection, every interval: Duration) {
        let start = state.withLock { state -> Bool in
            state.entries.insert(Entry(connection: connection, interval: interval), id: ObjectIdentifier(connection), at: .now + interval)
            defer { state.running = true }
            return !state.running
        }
        if start { Task { await self.run() } }
    }

    func remove(_ connection: AppWebsocketConnection) {
        state.withLock { _ = $0.entries.remove(ObjectIdentifier(connection)) }
    }

    /// Connections looked after now.
    var count: Int { state.withLock { $0.entries.count } }

    private func run() async {
        while let due = takeDue() {
            for (id, entry) in due {
                Task {
                    let next = await entry.connection.keepAliveIfIdle(entry.interval)
                    self.reschedule(id, at: next)
                }
            }
            try? await Task.sleep(for: tick)
        }
    }

    /// The connections due now, marked as on their way; nil when none are left (the task ends).
    private func takeDue() -> [(ObjectIdentifier, Entry)]? {
        state.withLock { state in
            guard !state.entries.isEmpty else {
                state.running = false
                return nil
            }
            return state.entries.takeDue(now: .now).map { ($0.id, $0.value) }
        }
    }

    /// Looks at the connection again at `next`; forgets it when it closed (nil).
    private func reschedule(_ id: ObjectIdentifier, at next: ContinuousClock.Instant?) {
        state.withLock { state in
            guard let next else {
                state.entries.remove(id)
                return
            }
            state.entries.schedule(id, at: next)
        }
    }
}
