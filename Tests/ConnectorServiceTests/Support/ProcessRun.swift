import Foundation
import Timing

/// Runs a command to its end without blocking a concurrency thread; output goes to `log`.
func runProcess(_ executable: URL, _ arguments: [String], log: URL) async throws -> Int32 {
    if !FileManager.default.fileExists(atPath: log.path) {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    }
    let output = try FileHandle(forWritingTo: log)
    defer { try? output.close() }
    try output.seekToEnd()
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    return try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
}

/// Runs `body`, failing when it has not finished within `timeout`.
func withTimeout<T: Sendable>(
    _ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let value = try await Timing.withTimeout(timeout, body) else { throw TimedOut(what: what, timeout: timeout) }
    return value
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var timeout: Duration
    var description: String { "\(what) did not happen within \(timeout)" }
}
