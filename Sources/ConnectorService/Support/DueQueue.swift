/// Values by id, each due at an instant or out (taken and not yet scheduled again): what the
/// schedulers (``HubPollScheduler``, ``KeepAliveSweeper``) keep, so that taking the due ones
/// costs the due ones, not all of them.
///
/// Due times sit in a heap. Scheduling an entry again, or removing it, leaves its old heap
/// element behind; ``takeDue(now:limit:)`` skips an element whose time no longer matches its
/// entry's. The heap is emptied with the last entry.
struct DueQueue<ID: Hashable & Comparable, Value> {
    private struct Entry {
        var value: Value
        /// nil while the entry is out.
        var due: ContinuousClock.Instant?
    }

    private struct DueTime: Comparable {
        var at: ContinuousClock.Instant
        var id: ID
        static func < (lhs: DueTime, rhs: DueTime) -> Bool { (lhs.at, lhs.id) < (rhs.at, rhs.id) }
    }

    private var entries: [ID: Entry] = [:]
    private var heap = MinHeap<DueTime>()

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// A known entry's value; setting it leaves its due time as it is.
    subscript(id: ID) -> Value? {
        get { entries[id]?.value }
        set {
            guard let newValue else { return }
            entries[id]?.value = newValue
        }
    }

    /// When the entry is due; nil when it is out or unknown.
    func due(_ id: ID) -> ContinuousClock.Instant? { entries[id]?.due }

    /// Adds (or replaces) an entry due `at`.
    mutating func insert(_ value: Value, id: ID, at: ContinuousClock.Instant) {
        entries[id] = Entry(value: value, due: at)
        heap.insert(DueTime(at: at, id: id))
    }

    /// Makes a known entry due `at` instead of when it was (or back in, if it is out).
    mutating func schedule(_ id: ID, at: ContinuousClock.Instant) {
        guard entries[id] != nil else { return }
        entries[id]?.due = at
        heap.insert(DueTime(at: at, id: id))
    }

    @discardableResult
    mutating func remove(_ id: ID) -> Value? {
        defer { if entries.isEmpty { heap = MinHeap() } }
        return entries.removeValue(forKey: id)?.value
    }

    /// Takes out up to `limit` entries due at `now`, earliest first; each stays out until
    /// ``schedule(_:at:)`` or ``remove(_:)``.
    mutating func takeDue(now: ContinuousClock.Instant, limit: Int = .max) -> [(id: ID, value: Value)] {
        var due: [(id: ID, value: Value)] = []
        while due.count < limit, let first = heap.first, first.at <= now {
            heap.removeFirst()
            guard let entry = entries[first.id], entry.due == first.at else { continue }
            entries[first.id]?.due = nil
            due.append((first.id, entry.value))
        }
        return due
    }
}
