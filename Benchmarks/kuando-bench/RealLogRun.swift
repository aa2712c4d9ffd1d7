import ConnectorService
import Foundation
import Logging

/// The event path with the log handler `kuando serve --log-format text` uses (swift-log's
/// stream handler, escaped, into ``LogLineWriter/standardError``), at `info`, where the service
/// writes two trace lines per call step. Standard error goes to `/dev/null` meanwhile, so the
/// figure holds the formatting and the hand-over per line (the writes happen on the writer's
/// queue), not a terminal's or journal's speed.
enum RealLogRun {
    static func measure(users: Int, pollMs: Int, rate: Double, count: Int, logger: Logger) async throws -> CallRun {
        var real = Logger(label: "kuando.connector") { EscapingLogHandler(base: StreamLogHandler(label: $0, stream: LogLineWriter.standardError.stream)) }
        real.logLevel = .info
        // The rig logs from its start to its shutdown: standard error comes back after both.
        return try await withStandardErrorSilenced {
            let rig = try await BenchRig(users: users, presenceUsers: 0, pollMs: pollMs, serviceLogger: real, logger: logger)
            do {
                _ = try await rig.connectPBX(timeout: .seconds(120))
                let run = try await rig.callLatency(rate: rate, count: count)
                await rig.stop()
                return run
            } catch {
                await rig.stop()
                throw error
            }
        }
    }

    /// Runs `body` with file descriptor 2 on `/dev/null`, then puts it back.
    private static func withStandardErrorSilenced<T>(_ body: () async throws -> T) async rethrows -> T {
        fflush(nil)
        let saved = dup(2)
        let null = open("/dev/null", O_WRONLY)
        dup2(null, 2)
        close(null)
        defer {
            LogLineWriter.standardError.flush()
            fflush(nil)
            dup2(saved, 2)
            close(saved)
        }
        return try await body()
    }
}
