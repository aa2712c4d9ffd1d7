import Foundation
import Synchronization

/// Runs the built `kuando` executable, as a user would from a shell.
public struct KuandoProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `kuando` binary next to the test bundle in the build's products folder.
    public static var executable: URL { executable(named: "kuando") }

    /// A binary of this package (`kuando`, `kuando-bench`) next to the test bundle.
    public static func executable(named name: String) -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: name)
    }

    /// This process's environment without any `KUANDO_` variable, plus `environment`: a test
    /// sees only the settings it gives.
    public static func environment(_ environment: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KUANDO_") }.merging(environment) { _, given in given }
    }

    /// A process for `executable` with `arguments`, in ``environment(_:)``, its standard output
    /// and error on pipes; not yet started.
    static func process(_ executable: URL, _ arguments: [String], environment: [String: String]) -> (Process, out: Pipe, err: Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        return (process, out, err)
    }

    public static func run(_ arguments: String...) async throws -> Result {
        try await run(arguments)
    }

    /// Runs `executable` (the `kuando` binary unless told otherwise) with `arguments`.
    ///
    /// The pipes are read and the child waited for on threads of their own: a test that blocked
    /// one of Swift's cooperative threads (two on a 2-core machine) for a child's whole run (the
    /// benchmark's quick run takes half a minute) stalled every other test meanwhile.
    public static func run(_ arguments: [String], environment: [String: String] = [:], executable: URL = executable) async throws -> Result {
        let (process, out, err) = Self.process(executable, arguments, environment: environment)
        try process.run()
        // Both pipes at once, so neither fills up and blocks the child.
        async let errors = offPool { String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        let child = UncheckedProcess(process)
        let output = await offPool {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            child.process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        return Result(status: process.terminationStatus, stdout: output, stderr: await errors)
    }

    /// Runs blocking `work` on a thread of its own (a serial queue's), not on the cooperative pool.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "kuando-process").async { continuation.resume(returning: work()) }
        }
    }

    /// A `Process` handed to the thread that waits for it; only that thread touches it meanwhile.
    private struct UncheckedProcess: @unchecked Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
    }
}

/// A `kuando` that keeps running (`serve`, `hub`): its output is collected as it comes, and
/// ``waitFor(_:in:timeout:)`` waits for a line to appear.
public final class RunningKuando: @unchecked Sendable {
    /// The process ended, so the line waited for can no longer come.
    public struct Ended: EndsWaiting, CustomStringConvertible {
        public let description: String
    }

    private let process: Process
    private let output = OutputBuffer()

    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let (process, out, err) = KuandoProcess.process(KuandoProcess.executable, arguments, environment: environment)
        self.process = process
        let output = self.output
        out.fileHandleForReading.readabilityHandler = { handle in
            output.append(String(decoding: handle.availableData, as: UTF8.self), to: .stdout)
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            output.append(String(decoding: handle.availableData, as: UTF8.self), to: .stderr)
        }
        try process.run()
    }

    /// A test that failed before ``stop()`` leaves no process behind.
    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    public var stdout: String { output.stdout }
    public var stderr: String { output.stderr }

    /// The first complete line of `stream` that `matches` accepts, once it is there.
    public func waitFor(_ what: String, in stream: OutputBuffer.Stream = .stdout, timeout: Duration = .seconds(20), _ matches: (Substring) -> Bool) async throws -> String {
        let missing = { "no \(what) from kuando \(self.process.arguments ?? []); stdout: \(self.stdout); stderr: \(self.stderr)" }
        do {
            return try await pollFor(what, timeout: timeout, every: .milliseconds(20)) {
                let text = stream == .stdout ? stdout : stderr
                let complete = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                if let line = complete.first(where: matches) { return String(line) }
                guard process.isRunning else { throw Ended(description: missing() + " (it has exited)") }
                return nil
            }
        } catch is NotInTime {
            throw NotInTime(what: missing(), timeout: timeout)
        }
    }

    /// Kills the process with SIGKILL, as a crash would, and waits for its end.
    public func kill() async throws {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        try await eventually("kuando killed", every: .milliseconds(20)) { !process.isRunning }
    }

    /// Sends SIGTERM and returns the exit status; throws when it has not ended `within`.
    public func stop(within limit: Duration = .seconds(20)) async throws -> Int32 {
        if process.isRunning { process.terminate() }
        do {
            try await eventually("kuando \(process.arguments ?? []) stops on SIGTERM", timeout: limit, every: .milliseconds(20)) { !process.isRunning }
        } catch {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw error
        }
        return process.terminationStatus
    }
}

/// A child's output so far, filled from the pipes' handlers.
public final class OutputBuffer: Sendable {
    public enum Stream: Sendable { case stdout, stderr }

    private let text = Mutex<(stdout: String, stderr: String)>(("", ""))

    public func append(_ chunk: String, to stream: Stream) {
        text.withLock {
            switch stream {
            case .stdout: $0.stdout += chunk
            case .stderr: $0.stderr += chunk
            }
        }
    }

    public var stdout: String { text.withLock { $0.stdout } }
    public var stderr: String { text.withLock { $0.stderr } }
}
