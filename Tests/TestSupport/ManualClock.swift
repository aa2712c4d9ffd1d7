import Synchronization

/// A clock that moves only when a test says so, in one of two ways:
/// - ``advance(by:)`` moves time forward and wakes the sleepers whose deadline has come;
/// - ``advance(timeout:)`` waits (in real time) until something sleeps, then jumps to the
///   earliest deadline and wakes that sleeper, so an hour of retries runs in milliseconds and
///   every wait is seen.
///
/// A sleep whose deadline has already passed returns at once.
public final class ManualClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    /// Nothing slept on the clock before the real-time deadline of ``advance(timeout:)``.
    public struct NoSleeper: Error, CustomStringConvertible {
        public var description: String { "nothing slept on the manual clock before the deadline" }
    }

    private struct Sleeper {
        var deadline: Instant
        /// How long it asked to sleep, from the instant it began.
        var requested: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
        /// A test waiting in ``advance(timeout:)`` for the next sleeper.
        var waiter: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Time since the clock was made.
    public var elapsed: Duration { now.offset }

    /// Tasks sleeping now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, waiter): (Result<Void, any Error>?, CheckedContinuation<Void, any Error>?) = state.withLock { state in
                    if Task.isCancelled { return (.failure(CancellationError()), nil) }
                    if deadline <= state.now { return (.success(()), nil) }
                    state.sleepers[id] = Sleeper(deadline: deadline, requested: state.now.duration(to: deadline), continuation: continuation)
                    defer { state.waiter = nil }
                    return (nil, state.waiter)
                }
                if let outcome { continuation.resume(with: outcome) }
                waiter?.resume()
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers whose deadline has come; returns how many.
    @discardableResult
    public func advance(by duration: Duration) -> Int {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
        return due.count
    }

    /// Waits (in real time, at most `timeout`) until something sleeps on the clock, moves the
    /// clock to the earliest deadline, wakes that sleeper and returns how long it asked to sleep.
    @discardableResult
    public func advance(timeout: Duration = .seconds(10)) async throws -> Duration {
        try await waitForSleeper(timeout: timeout)
        let woken = state.withLock { state -> Sleeper? in
            guard let earliest = state.sleepers.min(by: Self.earlier) else { return nil }
            state.sleepers[earliest.key] = nil
            state.now = max(state.now, earliest.value.deadline)
            return earliest.value
        }
        guard let woken else { throw NoSleeper() }
        woken.continuation.resume()
        return woken.requested
    }

    /// How long the earliest sleeper asked to sleep, once something sleeps (at most `timeout`).
    public func pendingSleep(timeout: Duration = .seconds(10)) async throws -> Duration {
        try await waitForSleeper(timeout: timeout)
        return state.withLock { state in state.sleepers.min(by: Self.earlier)?.value.requested ?? .zero }
    }

    /// The earlier deadline first; of equal ones, the one that began sleeping first.
    private static func earlier(_ left: (key: Int, value: Sleeper), _ right: (key: Int, value: Sleeper)) -> Bool {
        (left.value.deadline, left.key) < (right.value.deadline, right.key)
    }

    private func waitForSleeper(timeout: Duration) async throws {
        let timer = Task {
            try await Task.sleep(for: timeout)
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: NoSleeper())
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready = state.withLock { state in
                if !state.sleepers.isEmpty { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
