import Foundation
import KuandoHub
import KuandoSync
import Synchronization

/// One user's synchronisation: runs the ``SyncEngine`` and carries out its effects on the PBX and
/// the hub, one input at a time.
///
/// Inputs arrive through ``send(_:)`` from any task (the PBX link, the hub poller, the apps) and
/// are queued, so a slow hub never holds up the PBX link; a task drains the queue in order
/// while it holds inputs and ends when it is empty, so an idle user has no task and no stream
/// (10,000 users are mostly idle). Failures of the PBX or the hub are recorded in the status
/// (and traced), never thrown: the session keeps running and the next reconnect resynchronises.
public actor UserSession {
    public nonisolated let user: UserKey
    private var engine: SyncEngine
    private let pbx: any PBXUserPort
    private var hub: (any HubPort)?
    private var hubTransport: String?
    private var hubReachable = false
    private var licensed = false
    private var alienCallID: String?
    private var lastErrors: [SessionStatus.Problem] = []
    private var statusWatchers: [UUID: AsyncStream<SessionStatus>.Continuation] = [:]
    private let trace: @Sendable (String) -> Void
    private let adminLog: @Sendable (String) -> Void
    private nonisolated let inbox = Mutex(Inbox())

    private struct Inbox {
        var inputs: [SyncInput] = []
        /// A task drains the inputs.
        var draining = false
        /// ``finish()`` was called: inputs are dropped.
        var finished = false
        /// ``finish()`` calls waiting for the drain to end.
        var finishing: [CheckedContinuation<Void, Never>] = []
    }

    public init(
        user: UserKey, config: UserConfig, pbx: any PBXUserPort, alienCalls: Bool = true,
        dataSourceName: String = SyncEngine.defaultDataSourceName, adminLog: @escaping @Sendable (String) -> Void = { _ in },
        trace: @escaping @Sendable (String) -> Void
    ) {
        self.user = user
        self.engine = SyncEngine(config: config, dataSourceName: dataSourceName, alienCallsSupported: alienCalls)
        self.pbx = pbx
        self.trace = trace
        self.adminLog = adminLog
    }

    /// Queues an input; returns at once. The inputs are handled in the order they were sent.
    public nonisolated func send(_ input: SyncInput) {
        let start = inbox.withLock { inbox -> Bool in
            guard !inbox.finished else { return false }
            inbox.inputs.append(input)
            defer { inbox.draining = true }
            return !inbox.draining
        }
        if start { Task { await self.drain() } }
    }

    private func drain() async {
        while true {
            let (batch, finishing) = inbox.withLock { inbox -> ([SyncInput], [CheckedContinuation<Void, Never>]) in
                guard inbox.inputs.isEmpty else {
                    defer { inbox.inputs = [] }
                    return (inbox.inputs, [])
                }
                inbox.draining = false
                defer { inbox.finishing = [] }
                return ([], inbox.finishing)
            }
            guard !batch.isEmpty else {
                for waiter in finishing { waiter.resume() }
                return
            }
            for input in batch { await apply(input) }
        }
    }

    /// Takes no more inputs, returns once the queued ones are handled, and closes the status
    /// subscriptions.
    public func finish() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { inbox -> Bool in
                inbox.finished = true
                guard inbox.draining else { return true }
                inbox.finishing.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
        for watcher in statusWatchers.values { watcher.finish() }
        statusWatchers = [:]
    }

    /// Applies one input now and waits until its effects are carried out (used by the drain, and
    /// by tests that want a step done before they look).
    public func apply(_ input: SyncInput) async {
        for effect in engine.handle(input) {
            await carryOut(effect)
        }
        publishStatus()
    }

    /// Uses `hub` from now on (nil: no hub reachable for this user). The caller registers the
    /// data source and then sends `.hubConnected`, so the current claim is shown again.
    public func attachHub(_ hub: (any HubPort)?, transport: String?) {
        self.hub = hub
        hubTransport = hub == nil ? nil : transport
        hubReachable = false
        publishStatus()
    }

    /// Records whether the hub answered; the status panel shows it.
    public func setHubReachable(_ reachable: Bool) {
        guard reachable != hubReachable else { return }
        hubReachable = reachable
        publishStatus()
    }

    /// Records the user's licence, as the last app login said.
    public func setLicensed(_ licensed: Bool) {
        self.licensed = licensed
        publishStatus()
    }

    public var isLicensed: Bool { licensed }

    /// The user's PBX calls, and whether a hub is attached that does not answer; for the metrics.
    public var activity: (calls: Int, hubDown: Bool) {
        (engine.calls.count, hub != nil && !hubReachable)
    }

    /// Records a problem for the status panel and traces it (both reach the user). A hub's
    /// error is shown in its plain words; what the server sent goes to the admin's log only.
    public func report(_ error: any Error, _ context: String? = nil) {
        let shown = (error as? HubError)?.plainDescription ?? "\(error)"
        if let hubError = error as? HubError, hubError.plainDescription != hubError.description {
            adminLog("\(context.map { $0 + ": " } ?? "")\(hubError.description)")
        }
        report(context.map { "\($0): \(shown)" } ?? shown)
    }

    /// Records a problem for the status panel and traces it.
    public func report(_ message: String) {
        trace(Trace.connector(message))
        lastErrors.append(SessionStatus.Problem(time: Date(), message: message))
        if lastErrors.count > SessionStatus.errorLimit { lastErrors.removeFirst(lastErrors.count - SessionStatus.errorLimit) }
        publishStatus()
    }

    public var status: SessionStatus {
        SessionStatus(
            licensed: licensed,
            calls: engine.calls.values.sorted { $0.id < $1.id }.map { SessionStatus.Call(id: $0.id, direction: $0.direction, phase: $0.phase) },
            pbxPresence: engine.pbxPresence,
            manualPresence: engine.manualPresence,
            hubWinner: engine.hubWinner,
            shownOnHub: engine.shownOnHub,
            thirdPartyCall: engine.thirdPartyCall,
            hubReachable: hubReachable,
            hubTransport: hubTransport,
            lastErrors: lastErrors
        )
    }

    /// Status updates from now on, starting with the current status.
    public func statusUpdates() -> AsyncStream<SessionStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionStatus.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        statusWatchers[id] = continuation
        continuation.yield(status)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return stream
    }

    private func removeWatcher(_ id: UUID) {
        statusWatchers[id] = nil
    }

    private func publishStatus() {
        guard !statusWatchers.isEmpty else { return }
        let current = status
        for watcher in statusWatchers.values { watcher.yield(current) }
    }

    private func carryOut(_ effect: SyncEffect) async {
        switch effect {
        case .trace(let line):
            trace(line)
        case .showOnHub(let state, let appearance):
            await onHub("show \(state.rawValue)") { try await $0.show(state, appearance) }
        case .releaseHub:
            await onHub("release") { try await $0.release() }
        case .setPBXPresence(let presence):
            await onPBX("SetPresence") { try await $0.setPresence(presence, for: user) }
        case .addAlienCall(let application):
            await onPBX("AddAlienCall for \(application)") { [user] pbx in
                let id = try await pbx.addAlienCall(for: user)
                self.alienCallID = id
            }
        case .removeAlienCall:
            guard let id = alienCallID else { return }
            alienCallID = nil
            await onPBX("DelAlienCall") { try await $0.removeAlienCall(id, for: user) }
        }
    }

    private func onHub(_ what: String, _ request: (any HubPort) async throws -> Void) async {
        guard licensed, let hub else { return }
        do {
            try await request(hub)
            setHubReachable(true)
        } catch {
            setHubReachable(false)
            report(error, "hub \(what) failed")
        }
    }

    private func onPBX(_ what: String, _ request: (any PBXUserPort) async throws -> Void) async {
        do {
            try await request(pbx)
        } catch {
            report("PBX \(what) for \(user) failed: \(error)")
        }
    }
}
