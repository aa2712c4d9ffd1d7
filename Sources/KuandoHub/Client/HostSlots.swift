import Synchronization

/// At most ``perHost`` requests to one host at a time; the others wait their turn, first come
/// first served, in a queue of their own.
///
/// AsyncHTTPClient keeps a few connections per host and queues the rest, each queued request on
/// its own deadline; thousands of users registering at one hub host then time out in that queue
/// and retry, and removing from it costs more the longer it is. Here waiting costs nothing and a
/// request's timeout starts when it gets its slot. Hosts never wait for each other: a hub that
/// does not answer holds only its own slots.
final class HostSlots: Sendable {
    let perHost: Int
    private let hosts = Mutex<[String: Host]>([:])
    private let nextID = Atomic<UInt64>(0)

    private struct Host {
        var busy = 0
        /// Waiters by arrival from `head` on; an ID whose waiter was cancelled is skipped.
        var queue: [UInt64] = []
        var head = 0
        var waiting: [UInt64: CheckedContinuation<Void, any Error>] = [:]

        /// Takes a slot if one is free.
        mutating func take(limit: Int) -> Bool {
            guard busy < limit else { return false }
            busy += 1
            return true
        }

        /// The longest waiting request, its slot handed over; nil when nobody waits.
        mutating func nextWaiter() -> CheckedContinuation<Void, any Error>? {
            while head < queue.count {
                let id = queue[head]
                head += 1
                if let waiter = waiting.removeValue(forKey: id) {
                    compact()
                    return waiter
                }
            }
            queue.removeAll(keepingCapacity: true)
            head = 0
            return nil
        }

        private mutating func compact() {
            guard head > 1024, head * 2 > queue.count else { return }
            queue.removeFirst(head)
            head = 0
        }
    }

    init(perHost: Int) {
        precondition(perHost > 0)
        self.perHost = perHost
    }

    /// Runs `body` holding one of `host`'s slots, waiting for one first when all are taken.
    /// - Throws: `CancellationError` when the task is cancelled while it waits; `body`'s errors.
    func withSlot<T: Sendable>(for host: String, _ body: () async throws -> T) async throws -> T {
        try await acquire(host)
        defer { release(host) }
        return try await body()
    }

    private func acquire(_ host: String) async throws {
        let limit = perHost
        if hosts.withLock({ $0[host, default: Host()].take(limit: limit) }) { return }
        let id = nextID.add(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case slot, cancelled, queued }
                let outcome = hosts.withLock { hosts -> Outcome in
                    // A slot freed since the first look, or the task was cancelled before it
                    // could queue (the cancellation handler then found nothing to remove).
                    if hosts[host, default: Host()].take(limit: limit) { return .slot }
                    if Task.isCancelled { return .cancelled }
                    hosts[host, default: Host()].queue.append(id)
                    hosts[host, default: Host()].waiting[id] = continuation
                    return .queued
                }
                switch outcome {
                case .slot: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued: break
                }
            }
        } onCancel: {
            hosts.withLock { $0[host]?.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }

    /// Hands the slot to the longest waiting request, or frees it.
    private func release(_ host: String) {
        let next = hosts.withLock { hosts -> CheckedContinuation<Void, any Error>? in
            guard var entry = hosts[host] else { return nil }
            if let next = entry.nextWaiter() {
                hosts[host] = entry
                return next
            }
            entry.busy -= 1
            hosts[host] = entry.busy == 0 ? nil : entry
            return nil
        }
        next?.resume()
    }

    /// Requests holding one of `host`'s slots, and waiting for one.
    func load(of host: String) -> (busy: Int, waiting: Int) {
        hosts.withLock { hosts in (hosts[host]?.busy ?? 0, hosts[host]?.waiting.count ?? 0) }
    }
}
