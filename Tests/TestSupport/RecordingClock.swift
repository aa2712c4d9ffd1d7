import Synchronization

/// A clock whose sleeps return at once, recording how long they were asked to last.
public final class RecordingClock: Clock, Sendable {
    public typealias Instant = ManualClock.Instant

    private let state = Mutex<(now: Instant, sleeps: [Duration])>((Instant(offset: .zero), []))

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append($0.now.duration(to: deadline))
            $0.now = deadline
        }
    }
}
