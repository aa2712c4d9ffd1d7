import Logging
import Synchronization

/// Logs why the service is not ready when that changes (not on every `/readyz` probe), and
/// when it is ready again: `/readyz` itself tells the outside only ready or not ready.
final class ReadinessLog: Sendable {
    private let last = Mutex<[String]?>(nil)
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func note(_ problems: [String]) {
        let changed = last.withLock { last in
            defer { last = problems }
            return last != problems
        }
        guard changed else { return }
        if problems.isEmpty {
            logger.notice("ready: the config database answers")
        } else {
            logger.warning("not ready: \(problems.joined(separator: "; "))")
        }
    }
}
