import KuandoHub
import KuandoSync
import Synchronization
import Timing

/// Keeps one user's session connected to the user's hub: registers the data source (again after
/// every outage, which also re-sends the current claim), then reads the hub's winner at the
/// configured interval and hands it to the session, which acts only on changes.
///
/// The work is done in steps (``step()``), each returning how long to wait before the next, so
/// that one ``HubPollScheduler`` can drive thousands of links without a sleeping task each;
/// ``run()`` drives one link on its own task instead (a relayed hub, the tests).
///
/// Problems reach the session's status once per change, never once per try (the seed warns
/// that an unreachable hub floods the logs otherwise).
public actor HubPoller {
    public nonisolated let session: UserSession
    public nonisolated let client: HubClient
    public nonisolated let pollInterval: Duration
    private let clock: any Clock<Duration>
    private nonisolated let stopped = Atomic<Bool>(false)

    private enum Phase {
        /// The data source is to be registered; `fresh`: this outage's first try.
        case registering(fresh: Bool)
        case polling
    }

    private var phase = Phase.registering(fresh: true)
    private var lastProblem: String?
    /// Waits after a registration the hub refused (a wrong token): those do not heal fast.
    private var backoff = Backoff()

    public init(session: UserSession, client: HubClient, pollInterval: Duration, clock: any Clock<Duration> = ContinuousClock()) {
        self.session = session
        self.client = client
        self.pollInterval = pollInterval
        self.clock = clock
    }

    /// Ends the link: a step that is running tells the session nothing more, and no step follows.
    public nonisolated func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Steps until the task is cancelled, sleeping on the clock in between.
    public func run() async {
        while !Task.isCancelled, let wait = await step() {
            guard wait > .zero else { continue }
            guard (try? await clock.sleep(for: wait)) != nil else { return }
        }
    }

    /// Registers when the hub needs it, else polls once; returns the wait before the next step
    /// (zero: at once), or nil when the task was cancelled.
    public func step() async -> Duration? {
        guard !isStopped else { return nil }
        guard case .registering(let fresh) = phase else { return await poll() }
        if fresh { await client.restartRetries() }
        do {
            if let wait = try await client.tryRegistering() {
                phase = .registering(fresh: false)
                return wait
            }
        } catch is CancellationError {
            return nil
        } catch {
            guard !isStopped else { return nil }
            await session.setHubReachable(false)
            await note(error)
            phase = .registering(fresh: true)
            return backoff.nextDelay()
        }
        guard !isStopped else { return nil }
        backoff.reset()
        await session.setHubReachable(true)
        session.send(.hubConnected)
        phase = .polling
        return await poll()
    }

    private func poll() async -> Duration? {
        do {
            let winner = try await client.currentPresence()
            guard !isStopped else { return nil }
            await note(nil)
            session.send(.hubWinner(winner))
        } catch let error as HubError where error.isUnreachable {
            guard !isStopped else { return nil }
            await session.setHubReachable(false)
            await note(error)
            phase = .registering(fresh: true)
            return .zero
        } catch is CancellationError {
            return nil
        } catch {
            guard !isStopped else { return nil }
            await note(error)
        }
        return pollInterval
    }

    private func note(_ problem: (any Error)?) async {
        let text = problem.map { "\($0)" }
        guard text != lastProblem else { return }
        lastProblem = text
        if let problem { await session.report(problem) }
    }
}
