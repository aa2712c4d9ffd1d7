import Synchronization

/// An append-only log that tests wait on: `waitUntil` resumes as soon as the condition holds
/// for the entries, or fails at the deadline. Appending is synchronous, so callbacks can log
/// in order.
final class EventLog<Entry: Sendable>: Sendable {
    struct TimedOut: Error, CustomStringConvertible {
        let entries: String
        var description: String { "condition not met before the deadline; log: \(entries)" }
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

    var entries: [Entry] { state.withLock { $0.entries } }

    func append(_ entry: Entry) {
        let ready: [Waiter] = state.withLock { state in
            state.entries.append(entry)
            let ids = state.waiters.filter { $0.value.condition(state.entries) }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0) }
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    func waitUntil(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable ([Entry]) -> Bool) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: TimedOut(entries: "\(self.entries)"))
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let satisfied = state.withLock { state in
                if condition(state.entries) { return true }
                state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                return false
            }
            if satisfied { continuation.resume() }
        }
    }
}
