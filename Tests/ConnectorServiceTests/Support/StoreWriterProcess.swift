import Foundation
import Testing

/// The `kuando-store-writer` child: started on a database, killed with SIGKILL mid-loop.
enum StoreWriterProcess {
    /// What the child said it had saved before it died, and how it died.
    struct Outcome: Sendable {
        var acknowledged: [Int]
        var killedBySignal: Bool
    }

    /// The writer's executable, built next to the test bundle.
    static var executable: URL {
        get throws {
            let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let writer = directory.appendingPathComponent("kuando-store-writer")
            try #require(
                FileManager.default.isExecutableFile(atPath: writer.path),
                "kuando-store-writer is not built next to the tests in \(directory.path); run swift build first")
            return writer
        }
    }

    /// Starts the writer on `url`, waits for `killAfter` acknowledged saves, kills it with
    /// SIGKILL, and collects every acknowledgement it printed before dying.
    static func runAndKill(url: String, killAfter: Int, timeout: Duration) async throws -> Outcome {
        let executable = try executable
        return try await withTimeout(timeout, "\(killAfter) acknowledged writes and the writer's death") {
            let process = Process()
            process.executableURL = executable
            process.arguments = [url, "1000000"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            let (ended, endedContinuation) = AsyncStream.makeStream(of: Bool.self)
            process.terminationHandler = { finished in
                endedContinuation.yield(finished.terminationReason == .uncaughtSignal)
                endedContinuation.finish()
            }
            try process.run()
            try? output.fileHandleForWriting.close()
            let lines = readLines(output.fileHandleForReading)
            let pid = process.processIdentifier

            var acknowledged: [Int] = []
            var iterator = lines.makeAsyncIterator()
            while acknowledged.count < killAfter, let line = await iterator.next() {
                if let index = acknowledgement(line) { acknowledged.append(index) }
            }
            kill(pid, SIGKILL)
            while let line = await iterator.next() {
                if let index = acknowledgement(line) { acknowledged.append(index) }
            }
            var endings = ended.makeAsyncIterator()
            let killed = await endings.next() ?? false
            return Outcome(acknowledged: acknowledged, killedBySignal: killed)
        }
    }

    private static func acknowledgement(_ line: String) -> Int? {
        line.hasPrefix("ack ") ? Int(line.dropFirst(4)) : nil
    }

    /// The lines `handle` delivers until end of file, read on a thread of their own because
    /// the read blocks.
    private static func readLines(_ handle: FileHandle) -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        Thread.detachNewThread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            continuation.finish()
        }
        return lines
    }
}
