import Foundation
import KuandoSync
import Logging
import Synchronization

/// Where trace lines go: the service log, and every hidden app of the user that listens (so
/// they show in the browser console, filtered by their `kuandoconnector-log:` prefix).
public final class TraceSink: Sendable {
    private let logger: Logger
    private let listeners = Mutex<[UserKey: [UUID: @Sendable (String) -> Void]]>([:])

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Sends a line to the log and to the user's listeners, its control characters escaped
    /// (``Trace/escapingControlCharacters(_:)``): names from hubs and apps end up in these lines.
    public func emit(_ line: String, for user: UserKey) {
        let line = Trace.escapingControlCharacters(line)
        logger.info("\(line)", metadata: ["user": "\(user)"])
        let targets = listeners.withLock { Array(($0[user] ?? [:]).values) }
        for listener in targets { listener(line) }
    }

    /// Logs a line for the admin only: no listener (no user) sees it.
    public func logForAdmin(_ line: String, for user: UserKey) {
        logger.notice("\(Trace.escapingControlCharacters(line))", metadata: ["user": "\(user)"])
    }

    /// Calls `listener` with each line for `user` until the returned token is passed to ``remove(_:)``.
    public func listen(to user: UserKey, _ listener: @escaping @Sendable (String) -> Void) -> (UserKey, UUID) {
        let id = UUID()
        listeners.withLock { $0[user, default: [:]][id] = listener }
        return (user, id)
    }

    public func remove(_ token: (UserKey, UUID)) {
        listeners.withLock { $0[token.0]?[token.1] = nil }
    }
}
