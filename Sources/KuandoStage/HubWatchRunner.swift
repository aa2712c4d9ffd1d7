import AppWebsocket
import ConnectorService
import Synchronization

/// The hidden app's side of the service's hub watch, as `innovaphone-connectorforkuando.js`
/// runs it, for the hidden apps the tests and the benchmark play: polls the hub at the watch's
/// interval and sends a `HubWatchReport` with the first answer, each answer that differs from
/// the last one reported, and a keepalive (`same`) when nothing changed for `keepaliveMs`, each
/// counting the polls since the report before. One watch at a time: a new one replaces it.
public final class HubWatchRunner: Sendable {
    /// What one poll of the hub gave: `status` and `body`, or `error` (the other fields unused).
    public typealias Poll = @Sendable () async -> AppAPI.HubWatchReport

    private let running = Mutex<Task<Void, Never>?>(nil)

    public init() {}

    /// Starts `watch` on `connection`, replacing the running one.
    /// - Parameters:
    ///   - firstDelay: before the first poll (real apps start their timers at different moments).
    ///   - poll: one poll of the hub.
    ///   - reported: hears every report that carries an answer, as sent.
    public func start(
        _ watch: AppAPI.HubWatch, on connection: AppWebsocketConnection, firstDelay: Duration = .zero, poll: @escaping Poll,
        reported: @escaping @Sendable (AppAPI.HubWatchReport) -> Void = { _ in }
    ) {
        let task = Task {
            var last: AppAPI.HubWatchReport?
            var reportedAt = ContinuousClock.now
            var polls = 0
            try? await Task.sleep(for: firstDelay)
            while !Task.isCancelled {
                // The next poll is due an interval after this one began, as the app's timer has it.
                let next = ContinuousClock.now + .milliseconds(watch.intervalMs)
                var answer = await poll()
                answer.watch = watch.watch
                polls += 1
                var report: AppAPI.HubWatchReport?
                if answer != last {
                    last = answer
                    answer.polls = polls
                    reported(answer)
                    report = answer
                } else if ContinuousClock.now - reportedAt >= .milliseconds(watch.keepaliveMs) {
                    report = AppAPI.HubWatchReport(watch: watch.watch, same: true, polls: polls)
                }
                if let report {
                    try? await connection.send(report)
                    reportedAt = .now
                    polls = 0
                }
                try? await Task.sleep(until: next)
            }
        }
        let earlier = running.withLock { current in
            defer { current = task }
            return current
        }
        earlier?.cancel()
    }

    /// Ends the running watch.
    public func stop() {
        running.withLock { $0 }?.cancel()
    }
}
