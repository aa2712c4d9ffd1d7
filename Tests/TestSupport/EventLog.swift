import Synchronization

/// An append-only log that tests wait on: `waitUntil` resumes as soon as the condition holds
/// for the entries, or fails at the deadline. Appending is synchronous, so callbacks can log
/// in order.
public final class EventLog<Entry: Sendable>: Sendable {
    public struct TimedOut: Error, CustomStringConvertible {
        public let entries: String
        public var description: String { "condition not met before the deadline; log: \(entries)" }
    }

    private struct Waiter {
        let condition: @Sendable ([Entry]) -> Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var entries: [Entry] = []
        var waiters: [Int: Waiter] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var entries: [Entry] { state.withLock { $0.entries } }

    /// Conditions run outside the lock, so they may read this log (or others) freely.
    public func append(_ entry: Entry) {
        let (entries, waiters) = state.withLock { state in
            state.entries.append(entry)
            return (state.entries, state.waiters)
        }
        for (id, waiter) in waiters where waiter.condition(entries) { resume(id) }
    }

    /// Resumes the waiter if it is still waiting.
    private func resume(_ id: Int, throwing error: (any Error)? = nil) {
        guard let waiter = state.withLock({ $0.waiters.removeValue(forKey: id) }) else { return }
        if let error { waiter.continuation.resume(throwing: error) } else { waiter.continuation.resume() }
    }

    public func waitUntil(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable ([Entry]) -> Bool) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.resume(id, throwing: TimedOut(entries: "\(self.entries)"))
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.withLock { $0.waiters[id] = Waiter(condition: condition, continuation: continuation) }
            if condition(entries) { resume(id) }
        }
    }
}
