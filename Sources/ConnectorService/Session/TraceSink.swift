import Foundation
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

    public func emit(_ line: String, for user: UserKey) {
        logger.info("\(line)", metadata: ["user": "\(user)"])
        let targets = listeners.withLock { Array(($0[user] ?? [:]).values) }
        for listener in targets { listener(line) }
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
