import Synchronization

/// A clock that stands still until the test moves it: a sleep waits until ``advance(timeout:)``
/// reaches its deadline, so an hour of retries runs in milliseconds and every wait is recorded.
public final class VirtualClock: Clock, Sendable {
    public typealias Instant = ManualClock.Instant

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let requested: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
        var waiter: CheckedContinuation<Void, any Error>?
    }

    public struct NoSleeper: Error, CustomStringConvertible {
        public var description: String { "nothing slept on the virtual clock before the deadline" }
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Time since the clock was made.
    public var elapsed: Duration { now.offset }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, requested: state.now.duration(to: deadline), continuation: continuation))
                    let waiter = state.waiter
                    state.waiter = nil
                    waiter?.resume()
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Waits (in real time, at most `timeout`) until something sleeps on the clock, moves the
    /// clock to the earliest deadline, wakes that sleeper and returns how long it asked to sleep.
    @discardableResult
    public func advance(timeout: Duration = .seconds(10)) async throws -> Duration {
        try await waitForSleeper(timeout: timeout)
        let woken = state.withLock { state -> Sleeper? in
            guard let index = state.sleepers.indices.min(by: { state.sleepers[$0].deadline < state.sleepers[$1].deadline }) else { return nil }
            let sleeper = state.sleepers.remove(at: index)
            state.now = max(state.now, sleeper.deadline)
            return sleeper
        }
        guard let woken else { throw NoSleeper() }
        woken.continuation.resume()
        return woken.requested
    }

    /// How long the earliest sleeper asked to sleep, once something sleeps (at most `timeout`).
    public func pendingSleep(timeout: Duration = .seconds(10)) async throws -> Duration {
        try await waitForSleeper(timeout: timeout)
        return state.withLock { state in state.sleepers.min(by: { $0.deadline < $1.deadline })?.requested ?? .zero }
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
