import Logging
import Synchronization

/// A log handler that keeps every line, for tests that count what the service logs.
public final class LogCapture: Sendable {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: String
    }

    private let lines = Mutex<[Entry]>([])

    public init() {}

    public var entries: [Entry] { lines.withLock { $0 } }

    public var logger: Logger {
        var logger = Logger(label: "test.capture") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Lines at `level` or above.
    public func entries(atLeast level: Logger.Level) -> [Entry] {
        entries.filter { $0.level >= level }
    }

    /// Every line with its metadata, for checking that a secret appears nowhere.
    public var text: String {
        entries.map { "\($0.level) \($0.message) \($0.metadata)" }.joined(separator: "\n")
    }

    fileprivate func append(_ entry: Entry) {
        lines.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(Entry(level: event.level, message: event.message.description, metadata: "\(merged)"))
        }
    }
}
