import KuandoHub
import KuandoSync
import Synchronization
import Timing

/// Keeps one user's session connected to the user's hub: registers the data source (again after
/// every outage, which also re-sends the current claim), then reads the hub's winner at the
/// configured interval and hands it to the session, which acts only on changes.
///
/// A hub on the user's PC, reached through the hidden app (`watcher`), is read there: the app
/// polls it at the interval and reports only changes (``received(_:polls:watch:)``), so an idle
/// user costs the service nothing per poll. An app that does not report (one from before
/// watches) is noticed by its missing first report or keepalive, one whose browser throttles it
/// by the polls its reports count; the service then polls through the app itself, as it does a
/// direct hub.
///
/// The work is done in steps (``step()``), each returning how long to wait before the next, so
/// that one ``HubPollScheduler`` can drive thousands of links without a sleeping task each;
/// ``run()`` drives one link on its own task instead (the tests).
///
/// Problems reach the session's status once per change, never once per try (the seed warns
/// that an unreachable hub floods the logs otherwise).
public actor HubPoller {
    public nonisolated let session: UserSession
    public nonisolated let client: HubClient
    public nonisolated let pollInterval: Duration
    private let clock: any Clock<Duration>
    private nonisolated let stopped = Atomic<Bool>(false)

    /// The hidden app that can watch the hub, for a relayed hub.
    private let watcher: (any HubRelayChannel)?
    /// Set by the scheduler: makes the link's next step due now.
    private nonisolated let wakeUp = Mutex<(@Sendable () -> Void)?>(nil)

    private enum Phase {
        /// The data source is to be registered; `fresh`: this outage's first try.
        case registering(fresh: Bool)
        /// The service reads the hub at the interval.
        case polling
        /// The hidden app reads the hub; `heard`: its last report, nil before the first.
        case watching(id: Int, since: ContinuousClock.Instant, heard: ContinuousClock.Instant?)
    }

    private var phase = Phase.registering(fresh: true)
    private var lastProblem: String?
    /// Waits after a registration the hub refused (a wrong token): those do not heal fast.
    private var backoff = Backoff()
    /// Set when the app's reports stopped: from then on this link polls through the app.
    private var watchFailed = false
    private static let watchIDs = Atomic<Int>(0)

    /// How often a watching app says it still polls when nothing changes. Its reports count its
    /// polls, so a throttled app shows at its next report however long this is; a dead one
    /// shows when the keepalive is late. At 10,000 users, 2 minutes is 83 reports a second.
    public static let watchKeepalive = Duration.seconds(120)

    public init(
        session: UserSession, client: HubClient, pollInterval: Duration, watcher: (any HubRelayChannel)? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.session = session
        self.client = client
        self.pollInterval = pollInterval
        self.watcher = watcher
        self.clock = clock
    }

    /// Ends the link: a step that is running tells the session nothing more, and no step follows;
    /// a watching app is told to stop.
    public nonisolated func stop() {
        stopped.store(true, ordering: .relaxed)
        guard let watcher else { return }
        Task { await self.endWatch(on: watcher) }
    }

    /// `wake` makes the link's next step due now (the scheduler sets it).
    nonisolated func setWakeUp(_ wake: (@Sendable () -> Void)?) {
        wakeUp.withLock { $0 = wake }
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
        switch phase {
        case .registering(let fresh): return await register(fresh: fresh)
        case .polling: return await poll()
        case .watching(let id, let since, let heard): return await checkWatch(id: id, since: since, heard: heard)
        }
    }

    private func register(fresh: Bool) async -> Duration? {
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
        if let watcher, !watchFailed { return await startWatch(on: watcher) }
        return await poll()
    }

    // MARK: watched by the hidden app

    /// How long the first report may take: two intervals and the way through myApps.
    private var firstReportLimit: Duration { pollInterval * 2 + AppPeer.relayTimeout }
    /// How often this link's app reports when nothing changes: never more often than it polls.
    private var keepalive: Duration { max(Self.watchKeepalive, pollInterval) }
    /// How long a watching app may be silent: its keepalive, plus the same margin.
    private var keepaliveLimit: Duration { keepalive + firstReportLimit }

    private func startWatch(on watcher: any HubRelayChannel) async -> Duration? {
        let id = Self.watchIDs.add(1, ordering: .relaxed).newValue
        let order = HubWatchOrder(
            id: id, request: client.presenceRequest, interval: pollInterval, keepalive: keepalive, receiver: self)
        phase = .watching(id: id, since: .now, heard: nil)
        do {
            try await watcher.watch(order)
        } catch {
            // The app's connection closed: the registry restarts the link for the next app.
            guard !isStopped else { return nil }
            phase = .polling
            return await poll()
        }
        return firstReportLimit
    }

    private func checkWatch(id: Int, since: ContinuousClock.Instant, heard: ContinuousClock.Instant?) async -> Duration? {
        let limit = heard == nil ? firstReportLimit : keepaliveLimit
        let silent = ContinuousClock.now - (heard ?? since)
        guard silent >= limit else { return limit - silent }
        await fallBack(
            from: id,
            because: heard == nil
                ? "the hidden app does not watch the hub (an older version of the app?)"
                : "the hidden app stopped reporting the hub for \(silent.components.seconds) s")
        return .zero
    }

    /// Ends the watch for good on this link: the service polls through the app from now on.
    private func fallBack(from id: Int, because reason: String) async {
        watchFailed = true
        phase = .polling
        await watcher?.unwatch(id)
        await session.report("\(reason): the service polls the hub through it instead")
    }

    /// A report of the watch `id` from the hidden app, which polled the hub `polls` times since
    /// its last report (nil: not said): the winner reaches the session, a hub the app cannot
    /// reach sends the link back to registering, an app that polls less than half as often as
    /// asked (a browser that throttles background pages' timers) is polled through instead.
    public func received(_ answer: HubWatchAnswer, polls: Int? = nil, watch id: Int) async {
        guard case .watching(id, let since, let heard) = phase, !isStopped else { return }
        let now = ContinuousClock.now
        phase = .watching(id: id, since: since, heard: now)
        let elapsed = now - (heard ?? since)
        let asked = elapsed / pollInterval
        // Judged over at least 8 intervals, so a busy PC's late timer or slow hub is no throttling.
        if let polls, asked >= 8, Double(polls) < asked / 2 {
            await fallBack(
                from: id,
                because: "the hidden app polled the hub \(polls) times in \(elapsed.components.seconds) s instead of every "
                    + "\(pollInterval) (a browser that throttles background pages?)")
            wakeUp.withLock { $0 }?()
            return
        }
        guard case .answered(let answered) = answer else { return }
        do {
            let winner = try await client.currentPresence(answered: answered)
            guard !isStopped else { return }
            await note(nil)
            session.send(.hubWinner(winner))
        } catch let error as HubError where error.isUnreachable {
            await session.setHubReachable(false)
            await note(error)
            phase = .registering(fresh: true)
            await watcher?.unwatch(id)
            wakeUp.withLock { $0 }?()
        } catch {
            await note(error)
        }
    }

    private func endWatch(on watcher: any HubRelayChannel) async {
        guard case .watching(let id, _, _) = phase else { return }
        await watcher.unwatch(id)
    }

    // MARK: polled by the service

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
