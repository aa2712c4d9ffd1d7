import Timing

/// A lamp that exists only in memory: it takes the same 64-byte reports a real one does, decodes
/// them and shows what a real lamp would show. Tests, the open hub's status page and the demo
/// observe it.
///
/// ```swift
/// let lamp = SimulatedLamp()
/// try await lamp.apply(.blink(.red, onTime: 5, offTime: 5))
/// let now = try await lamp.waitUntil { $0.effect == .blink(.red, onTime: 5, offTime: 5) }
/// now.lastReportHex   // "1000640000050580…"
/// ```
public actor SimulatedLamp: Lamp {
    /// The newest reports kept in ``history``; older ones are dropped (the counts keep counting).
    public static let historyLimit = 1000

    /// One report as the lamp received it.
    public struct Record: Equatable, Sendable {
        public var bytes: [UInt8]
        public var report: BusylightReport
    }

    public nonisolated let info: LampInfo
    private var state: SimulatedLampSnapshot
    /// The newest reports, oldest first, at most ``historyLimit``.
    public private(set) var history: [Record] = []
    private var failure: (any Error)?
    private var observers: [Int: AsyncStream<SimulatedLampSnapshot>.Continuation] = [:]
    private var nextObserver = 0

    /// A simulated lamp of `model` at `path` (a name, not a file).
    public init(path: String = "simulated:0", model: BusylightModel = .omega2) {
        self.init(info: LampInfo(path: path, model: model))
    }

    public init(info: LampInfo) {
        self.info = info
        self.state = SimulatedLampSnapshot(info: info)
    }

    /// Encodes `effect` as a real lamp's driver would and receives the report.
    ///
    /// - Throws: the error set with ``simulateFailure(_:)``, as a real lamp that is gone would.
    public func apply(_ effect: BusylightEffect) async throws {
        if let failure { throw failure }
        try receive(BusylightReport(effect: effect).bytes)
    }

    /// Takes one 64-byte report, as the device would: a keep-alive changes nothing, any other
    /// report replaces the program, and its steps' audio settings apply.
    ///
    /// - Throws: ``BusylightReportError`` for bytes that are no valid report; nothing changes then.
    public func receive(_ bytes: [UInt8]) throws(BusylightReportError) {
        let report = try BusylightReport(bytes: bytes)
        history.append(Record(bytes: bytes, report: report))
        if history.count > Self.historyLimit {
            history.removeFirst(history.count - Self.historyLimit)
        }
        state.reportCount += 1
        state.lastReportHex = BusylightReport.hex(bytes)
        if report.isKeepAlive {
            state.keepAliveCount += 1
        } else {
            let effect = BusylightEffect(recognizing: report)
            state.program = report
            state.effect = effect
            state.color = effect?.color ?? report.steps.first?.color ?? .off
            if let audio = report.steps.compactMap(\.audio).last {
                state.audio = audio
            }
        }
        for observer in observers.values {
            observer.yield(state)
        }
    }

    /// From now on ``apply(_:)`` throws `error` (e.g. ``HidrawLampError/unplugged(path:)``);
    /// `nil` makes the lamp work again.
    public func simulateFailure(_ error: (any Error)?) {
        failure = error
    }

    /// What the lamp shows now.
    public func snapshot() -> SimulatedLampSnapshot {
        state
    }

    /// The current snapshot, then one after every report, until the consumer stops iterating.
    public func updates() -> AsyncStream<SimulatedLampSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: SimulatedLampSnapshot.self)
        let id = nextObserver
        nextObserver += 1
        observers[id] = continuation
        continuation.onTermination = { _ in
            Task { await self.removeObserver(id) }
        }
        continuation.yield(state)
        return stream
    }

    /// Waits until `condition` holds for what the lamp shows and returns that snapshot.
    ///
    /// - Throws: ``SimulatedLampTimeout`` (with the last snapshot) when `condition` does not hold
    ///   within `timeout`; `CancellationError` when the waiting task is cancelled.
    public func waitUntil(
        timeout: Duration = .seconds(5), _ condition: @escaping @Sendable (SimulatedLampSnapshot) -> Bool
    ) async throws -> SimulatedLampSnapshot {
        let updates = updates()
        let seen = try await withTimeout(timeout) {
            for await snapshot in updates where condition(snapshot) {
                return snapshot
            }
            throw CancellationError()
        }
        guard let seen else { throw SimulatedLampTimeout(waited: timeout, last: snapshot()) }
        return seen
    }

    private func removeObserver(_ id: Int) {
        observers[id] = nil
    }
}
