import Synchronization

/// Drives many users' hub links on one task: no sleeping task per user (``HubPollSchedulers``:
/// one for the hubs the service calls itself, one for those the hidden apps watch).
///
/// Each link's ``HubPoller/step()`` runs when it is due; the wait it returns makes the next due
/// time, less a jitter of up to a tenth (at most 100 ms), so polls spread over the interval and
/// a change on the hub is still read within one interval. At most ``maximumInFlight`` steps run
/// at once; the others wait their turn, oldest due first. A new link steps at once (it registers
/// its data source). The driving task runs while there are links and ends with the last one.
public final class HubPollScheduler: Sendable {
    /// A scheduled link; ``cancel()`` stops it (``HubPoller/stop()``: a step that is running
    /// finishes without telling the session).
    public struct Ticket: Sendable {
        fileprivate let id: UInt64
        fileprivate let scheduler: HubPollScheduler

        public func cancel() { scheduler.remove(id) }
    }

    public let maximumInFlight: Int
    /// How often the driver looks for due links while none is running: how late a step may
    /// start, and how often an idle-looking driver wakes (each wake-up costs a thread switch).
    public let tick: Duration

    private struct Link {
        let poller: HubPoller
        /// Woken while a step ran: the next step is due at once.
        var woken = false
    }

    private struct State {
        /// Out while a step runs.
        var links = DueQueue<UInt64, Link>()
        var nextID: UInt64 = 0
        var driving = false
    }

    private let state = Mutex(State())

    public init(maximumInFlight: Int = 64, tick: Duration = .milliseconds(5)) {
        precondition(maximumInFlight > 0)
        self.maximumInFlight = maximumInFlight
        self.tick = tick
    }

    /// Schedules `poller`, first step now.
    public func add(_ poller: HubPoller) -> Ticket {
        let (id, start) = state.withLock { state -> (UInt64, Bool) in
            state.nextID += 1
            state.links.insert(Link(poller: poller), id: state.nextID, at: .now)
            defer { state.driving = true }
            return (state.nextID, !state.driving)
        }
        poller.setWakeUp { [weak self] in self?.wake(id) }
        if start { Task { await self.drive() } }
        return Ticket(id: id, scheduler: self)
    }

    /// Links scheduled now.
    public var count: Int { state.withLock { $0.links.count } }

    private func remove(_ id: UInt64) {
        guard let link = state.withLock({ $0.links.remove(id) }) else { return }
        link.poller.setWakeUp(nil)
        link.poller.stop()
    }

    /// Makes the link's next step due now (at once after the step that runs, if one does).
    private func wake(_ id: UInt64) {
        state.withLock { state in
            guard let due = state.links.due(id) else {
                state.links[id]?.woken = true
                return
            }
            let now = ContinuousClock.now
            if due > now { state.links.schedule(id, at: now) }
        }
    }

    /// The links due now, up to `limit`; nil when there are no links left (the driver then ends).
    private func takeDue(limit: Int, running: Int) -> [(UInt64, HubPoller)]? {
        state.withLock { state in
            if state.links.isEmpty, running == 0 {
                state.driving = false
                return nil
            }
            return state.links.takeDue(now: .now, limit: limit).map { ($0.id, $0.value.poller) }
        }
    }

    private func reschedule(_ id: UInt64, after wait: Duration?) {
        state.withLock { state in
            guard let link = state.links[id] else { return }
            guard let wait else {
                state.links.remove(id)
                return
            }
            let jitter = wait >= .milliseconds(10) ? Self.jitter(for: wait) : .zero
            if link.woken { state.links[id]?.woken = false }
            state.links.schedule(id, at: link.woken ? .now : .now + wait - jitter)
        }
    }

    /// Up to a tenth of `wait`, at most 100 ms.
    static func jitter(for wait: Duration) -> Duration {
        let ceiling = min(wait / 10, .milliseconds(100))
        return .nanoseconds(Int64.random(in: 0...max(ceiling.nanoseconds, 0)))
    }

    private enum Event: Sendable {
        case stepped(UInt64, Duration?)
        case tick
    }

    private func drive() async {
        await withTaskGroup(of: Event.self) { group in
            var running = 0
            var ticking = false
            while let due = takeDue(limit: maximumInFlight - running, running: running) {
                for (id, poller) in due {
                    running += 1
                    group.addTask { .stepped(id, await poller.step()) }
                }
                if !ticking {
                    ticking = true
                    group.addTask { [tick] in
                        try? await Task.sleep(for: tick)
                        return .tick
                    }
                }
                switch await group.next() {
                case .stepped(let id, let wait)?:
                    running -= 1
                    reschedule(id, after: wait)
                case .tick?:
                    ticking = false
                case nil:
                    return
                }
            }
            group.cancelAll()
        }
    }
}
