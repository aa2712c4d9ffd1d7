import AsyncHTTPClient
import Foundation
import NIOCore

/// The hub sink in a process of its own (`kuando-bench --serve-sink`), so that the service's
/// CPU time can be read apart from the hubs' while every user's hub is polled.
final class SinkProcess: Sendable {
    let port: Int
    let pid: Int32
    private let process: Process
    private let client: HTTPClient

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
        pid = process.processIdentifier
        client = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    /// Starts this executable again as a sink and waits for its port.
    static func start() async throws -> SinkProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["--serve-sink"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = try await Task.detached {
            var bytes: [UInt8] = []
            while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }.value
        guard line.hasPrefix("port "), let port = Int(line.dropFirst(5)), port > 0 else {
            process.terminate()
            throw BenchError.timeout("the sink process's port (it said \"\(line)\")")
        }
        return SinkProcess(process: process, port: port)
    }

    /// Registrations, polls and commands the sink received.
    func counts() async throws -> (register: Int, poll: Int, command: Int) {
        let numbers = try await get("/control/counts").split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 3 else { throw BenchError.timeout("the sink's counts") }
        return (numbers[0], numbers[1], numbers[2])
    }

    /// From the next poll on, the hubs of `users` users from `from` on show `event` (Manual Changer).
    func flip(from: Int = 0, users: Int, to event: String) async throws {
        _ = try await send(post: true, "/control/presence?from=\(from)&users=\(users)&event=\(event)")
    }

    /// Logs in the hidden apps of the relayed users (``HiddenAppFleet``); returns when all are in.
    func startApps(_ plan: HiddenAppFleet.Plan) async throws {
        let value: (String) -> String = { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 }
        _ = try await send(
            post: true,
            "/control/apps?service=\(value(plan.service))&domain=\(value(plan.domain))&password=\(value(plan.password))"
                + "&from=\(plan.users.lowerBound)&to=\(plan.users.upperBound)",
            timeout: .seconds(300))
    }

    /// When each change went out to the service, in `DispatchTime` nanoseconds, by user.
    func takeChanges() async throws -> [(user: Int, nanoseconds: UInt64)] {
        try await get("/control/changes").split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let user = Int(parts[0]), let time = UInt64(parts[1]) else { return nil }
            return (user, time)
        }
    }

    /// The process's CPU time so far (user + system), from `/proc/<pid>/stat`.
    func cpuSeconds() -> Double { ProcessCPU.seconds(of: pid) }

    func stop() async {
        process.terminate()
        process.waitUntilExit()
        try? await client.shutdown()
    }

    private func get(_ path: String) async throws -> String { try await send(post: false, path) }

    private func send(post: Bool, _ path: String, timeout: TimeAmount = .seconds(10)) async throws -> String {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = post ? .POST : .GET
        let response = try await client.execute(request, timeout: timeout)
        return String(buffer: try await response.body.collect(upTo: 1 << 24))
    }
}

/// CPU time of a process, as the kernel counts it.
enum ProcessCPU {
    /// User + system seconds of `pid` (`/proc/<pid>/stat` fields 14 and 15); 0 where `/proc` is missing.
    static func seconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // After the command name in parentheses: field 3 (state) is the first; utime is 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// This process's user + system seconds.
    static func own() -> Double { seconds(of: getpid()) }
}
