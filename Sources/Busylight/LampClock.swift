/// The time a lamp's keep-alive runs on: any `Clock` with `Duration`s, read as offsets from the
/// moment the driver was made. Injected so tests move time by hand instead of waiting.
struct LampClock: Sendable {
    /// Time since the driver was made.
    let now: @Sendable () -> Duration
    /// Returns once `now()` has reached `deadline`, or throws `CancellationError`.
    let sleep: @Sendable (_ deadline: Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
    }
}
