import AppWebsocket
import ConnectorService
import KuandoStage
import Foundation
import KuandoSync
import Logging
import PBXSimulator
import Synchronization

/// The loopback stage (the real service with a SQLite store, the PBX simulator with `users` users
/// in licence test mode) without open hubs, and the hub sink, all on loopback in this process.
///
/// Every user's hub is the sink: the first `users − relayUsers` at `http://hub.test:PORT/u/<i>/`,
/// called directly (`hub.test` resolves to 127.0.0.1 in an allowed network), the last
/// `relayUsers` at `http://localhost:PORT/u/<i>/`, a hub on the user's PC that the service
/// reaches through the user's hidden app (``HiddenAppFleet``, started by the caller). The first
/// ``presenceUsers`` poll their hub every second (for the `SetPresence` measurement); the
/// others every `pollMs`.
final class BenchRig: Sendable {
    static let domain = "example.com"
    static let password = "bench-pw"
    static let hubName = "hub.test"

    let users: Int
    /// Users whose hub is on their PC, relayed (the last ones).
    let relayUsers: Int
    let presenceUsers: Int
    let sink: HubSink
    let sinkPort: Int
    let stage: LoopbackStage
    var server: ConnectorServer { stage.server }
    var pbx: PBXSimulator { stage.pbx }
    let logger: Logger
    /// The in-process sink's task; nil when the hubs are a ``SinkProcess``.
    private let sinkRunner: Task<Void, any Error>?
    /// Data source registrations the hubs received.
    private let registrations: @Sendable () async -> Int
    private let folder: URL
    private let frames: FrameClock
    private let calls = CallSteps()

    /// What the rig saw of the PBX's frames, with the instants the connection reported them.
    final class FrameClock: Sendable {
        private struct State {
            var userInitializeResults = 0
            var allInitialised: ContinuousClock.Instant?
            var initializeAsked: ContinuousClock.Instant?
            var initializeAnswered: ContinuousClock.Instant?
            var setPresence: [(sip: String, time: ContinuousClock.Instant)] = []
        }

        private let state = Mutex(State())
        let expectedUsers: Int

        init(expectedUsers: Int) { self.expectedUsers = expectedUsers }

        func observe(_ observed: PBXSimulatorState.ObservedFrame) {
            switch (observed.direction, observed.frame.mt) {
            case (.fromService, "Initialize"):
                state.withLock { $0.initializeAsked = observed.time }
            case (.toService, "InitializeResult"):
                state.withLock { $0.initializeAnswered = observed.time }
            case (.toService, "UserInitializeResult"):
                let expected = expectedUsers
                state.withLock { state in
                    state.userInitializeResults += 1
                    if state.userInitializeResults == expected { state.allInitialised = observed.time }
                }
            case (.fromService, "SetPresence"):
                let sip = observed.frame.object["sip"]?.stringValue ?? ""
                state.withLock { $0.setPresence.append((sip, observed.time)) }
            default:
                break
            }
        }

        var allInitialised: ContinuousClock.Instant? { state.withLock { $0.allInitialised } }

        /// RCC `Initialize` asked → `InitializeResult`: how long the PBX itself takes to announce the users.
        var announceSeconds: Double {
            state.withLock { state in
                guard let asked = state.initializeAsked, let answered = state.initializeAnswered else { return 0 }
                return (answered - asked).seconds
            }
        }

        func takeSetPresence() -> [(sip: String, time: ContinuousClock.Instant)] {
            state.withLock { state in
            let taken = state.setPresence
            state.setPresence.removeAll()
            return taken
        }
        }
    }

    static func guid(_ index: Int) -> String {
        let hex = String(index + 1, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }

    static func sip(_ index: Int) -> String { "u\(index)" }

    /// Builds everything but does not connect the PBX yet (see ``connectPBX()``).
    /// - Parameter pace: how fast the PBX announces the users after RCC `Initialize` (nil: at once).
    /// - Parameter external: the hubs in another process, instead of ``sink`` in this one.
    init(
        users: Int, relayUsers: Int = 0, presenceUsers: Int, pollMs: Int, pace: PBXSimulatorConfiguration.InitializePace? = nil,
        external: SinkProcess? = nil, serviceLogger: Logger? = nil, logger: Logger
    ) async throws {
        self.users = users
        self.relayUsers = min(relayUsers, users)
        self.presenceUsers = min(presenceUsers, users)
        self.logger = logger
        let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        folder = scratch.appendingPathComponent("kuando-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sink = HubSink()
        self.sink = sink
        if let external {
            (sinkPort, sinkRunner) = (external.port, nil)
            registrations = { (try? await external.counts().register) ?? 0 }
        } else {
            let (port, runner) = try await sink.start(logger: logger)
            (sinkPort, sinkRunner) = (port, runner)
            registrations = { sink.count(.register) }
        }
        let store = try SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
        for index in 0..<users {
            var config = UserConfig.defaults
            config.hubUrl = "http://\(index < users - self.relayUsers ? Self.hubName : "localhost"):\(sinkPort)/u/\(index)/"
            config.pollIntervalMs = index < self.presenceUsers ? 1000 : pollMs
            try await store.save(config, for: UserKey(domain: Self.domain, guid: Self.guid(index), sip: Self.sip(index)))
        }
        let frames = FrameClock(expectedUsers: users)
        self.frames = frames
        let simulated = (0..<users).map { SimulatedUser(sip: Self.sip($0), guid: Self.guid($0), dn: "User \($0)") }
        var options = LoopbackStage.Options(
            users: simulated, testMode: true, hubs: [], hubName: Self.hubName, store: store, folder: folder, password: Self.password,
            domain: Self.domain, limits: ConnectorEndpoint.Limits(connectionsPerAddress: users + 100), serviceLogger: serviceLogger ?? logger,
            logger: logger, pbxRequestTimeout: .seconds(60), recordsFrames: false,
            onFrame: { frames.observe($0) }, connectPBX: false)
        options.initializePace = pace
        stage = try await LoopbackStage.start(options)
    }

    /// Connects the PBX and waits until every user is monitored (RCC `UserInitialize` answered)
    /// and every user's hub took the data source registration.
    func connectPBX(timeout: Duration) async throws -> StartupResult {
        let start = ContinuousClock.now
        await pbx.start()
        let deadline = start + timeout
        var registered: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            if registered == nil, await registrations() >= 2 * users { registered = .now }
            if let registered, let monitored = frames.allInitialised {
                return StartupResult(
                    users: users, monitoredSeconds: (monitored - start).seconds, hubsRegisteredSeconds: (registered - start).seconds,
                    announceSeconds: frames.announceSeconds)
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchError.timeout("start-up of \(users) users: \(await registrations() / 2) hubs registered")
    }

    // MARK: calls

    /// Advances user `index`'s call by one step (``CallSteps``).
    func step(_ index: Int) async throws {
        try await calls.step(index, sip: Self.sip(index), on: pbx)
    }

    /// Runs `count` steps at `rate` per second over the users in turn (``CallLoad``).
    func callLatency(rate: Double, count: Int) async throws -> CallRun {
        try await CallLoad.run(rate: rate, count: count, users: Array(0..<users), sink: sink) { try await self.step($0) }
    }

    // MARK: presence

    /// Flips the Manual Changer state of the presence users' hubs (Busy, then Available) and
    /// measures reply carrying the change → `SetPresence` received by the PBX.
    func presenceLatency(rounds: Int) async throws -> PresenceRun {
        var latencies: [Duration] = []
        _ = frames.takeSetPresence()
        _ = sink.takePresenceChanges()
        for round in 0..<rounds {
            let eventName = round % 2 == 0 ? "Busy" : "Available"
            for user in 0..<presenceUsers { sink.setPresence(user: user, eventName: eventName) }
            var changes: [Int: ContinuousClock.Instant] = [:]
            var answered: [String: ContinuousClock.Instant] = [:]
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline, answered.count < presenceUsers {
                try await Task.sleep(for: .milliseconds(20))
                for change in sink.takePresenceChanges() { changes[change.user] = change.time }
                for set in frames.takeSetPresence() where answered[set.sip] == nil { answered[set.sip] = set.time }
            }
            for (user, changed) in changes {
                if let time = answered[Self.sip(user)] { latencies.append(time - changed) }
            }
        }
        return PresenceRun(users: presenceUsers, rounds: rounds, latency: LatencySummary(latencies))
    }

    /// The `SetPresence`s the PBX received since the last call, with their instants.
    func takeSetPresence() -> [(sip: String, time: ContinuousClock.Instant)] { frames.takeSetPresence() }

    // MARK: growth

    /// Runs `count` steps as fast as the service takes them (at most `window` lamp commands
    /// outstanding) and samples the resident set every tenth.
    func growth(count: Int, window: Int) async throws -> GrowthRun {
        var samples: [GrowthRun.Sample] = []
        let base = sink.count(.command)
        let begin = ContinuousClock.now
        let tenth = max(count / 10, 1)
        for event in 0..<count {
            // A lamp command lost on the way (a hub request that timed out on a stalled machine)
            // would keep the window full for ever: no progress for 10 s ends the run.
            var stalled = ContinuousClock.now + .seconds(10)
            var seen = sink.count(.command)
            while event - (sink.count(.command) - base) > window {
                try await Task.sleep(for: .microseconds(200))
                if sink.count(.command) != seen {
                    seen = sink.count(.command)
                    stalled = ContinuousClock.now + .seconds(10)
                } else if ContinuousClock.now > stalled {
                    throw BenchError.timeout("lamp commands in the growth run: \(event) steps sent, \(seen - base) commands arrived, none for 10 s")
                }
            }
            try await step(event % users)
            if (event + 1) % tenth == 0 {
                samples.append(.init(events: event + 1, rssKiB: ProcessMemory.residentKiB()))
            }
        }
        let drained = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < drained, sink.count(.command) - base < count { try await Task.sleep(for: .milliseconds(5)) }
        let elapsed = (ContinuousClock.now - begin).seconds
        let first = samples.first?.rssKiB ?? 0
        let last = samples.last?.rssKiB ?? 0
        return GrowthRun(users: users, events: count, seconds: elapsed, samples: samples, growthKiB: last - first)
    }

    func stop() async {
        await stage.stop()
        sinkRunner?.cancel()
        _ = try? await sinkRunner?.value
        try? FileManager.default.removeItem(at: folder)
    }
}

enum BenchError: Error, CustomStringConvertible {
    case timeout(String)

    var description: String {
        switch self {
        case .timeout(let what): "timed out waiting for \(what)"
        }
    }
}
