import ConnectorService
import Foundation
import Logging

/// How `serve` and `hub` write their logs (`--log-format`).
enum LogFormat: String, CaseIterable, Sendable {
    /// swift-log's plain lines on standard error, control characters escaped, written off the
    /// logging task (``LogLineWriter``).
    case text
    /// One JSON object per line on standard error (``JSONLogHandler``), written the same way.
    case json

    /// Makes every logger of the process write in this format from `level` up. Call once, at start.
    func bootstrap(level: Logger.Level) {
        switch self {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = EscapingLogHandler(base: StreamLogHandler(label: label, stream: LogLineWriter.standardError.stream))
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
