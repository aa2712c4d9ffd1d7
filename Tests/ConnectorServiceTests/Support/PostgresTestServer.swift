import Foundation
import Logging
import PostgresNIO
import Testing
import TestSupport

/// A throw-away PostgreSQL server for one test run: `initdb` into a temp directory, started on
/// 127.0.0.1 at a free port, stopped and deleted afterwards. Each test takes a fresh database.
///
/// Debian keeps the server tools in /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to
/// run as root, so as root the tools run as `nobody` (through `runuser`), owning the directory.
final class PostgresTestServer: Sendable {
    /// What the store tests get: a running server, or why there is none.
    enum Availability: Sendable {
        case running(PostgresTestServer)
        case notInstalled(String)
        case failed(String)
    }

    @TaskLocal static var current: Availability = .notInstalled("no PostgreSQL server was started for this test")

    static let user = "kuando"
    let password: String
    let port: Int
    let directory: URL
    let bin: URL
    let asNobody: Bool

    private init(password: String, port: Int, directory: URL, bin: URL, asNobody: Bool) {
        self.password = password
        self.port = port
        self.directory = directory
        self.bin = bin
        self.asNobody = asNobody
    }

    /// The URL of `database` on this server, as `--db` takes it.
    func url(database: String, password: String? = nil) -> String {
        "postgres://\(Self.user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates an empty database with a fresh name and returns the name.
    func createDatabase() async throws -> String {
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withConnection(database: "postgres") { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Self.logger).collect()
        }
        return name
    }

    /// Runs `body` on a direct connection to `database`, for tests that look under the store.
    func withConnection<T: Sendable>(database: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: Self.user, password: password,
                                 database: database, tls: .disable),
            id: 1, logger: Self.logger)
        return try await withCleanup {
            try await body(connection)
        } cleanup: {
            try await connection.close()
        }
    }

    static let logger = Logger(label: "test.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: - Lifecycle

    /// Starts a server when PostgreSQL is installed. A server that is installed but does not
    /// come up is a failure, not a skip.
    static func start() async -> Availability {
        guard let bin = findBin() else {
            return .notInstalled("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH)")
        }
        do {
            return .running(try await launch(bin: bin))
        } catch {
            return .failed("the test PostgreSQL server did not start: \(error)")
        }
    }

    private static func findBin() -> URL? {
        let fileManager = FileManager.default
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? fileManager.contentsOfDirectory(atPath: debian.path)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for version in versions {
            let bin = debian.appendingPathComponent("\(version)/bin")
            if fileManager.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let bin = URL(fileURLWithPath: String(directory))
            if fileManager.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path),
               fileManager.isExecutableFile(atPath: bin.appendingPathComponent("pg_ctl").path) {
                return bin
            }
        }
        return nil
    }

    private static func launch(bin: URL) async throws -> PostgresTestServer {
        let asNobody = getuid() == 0
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("kuando-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let password = UUID().uuidString
        let passwordFile = directory.appendingPathComponent("password")
        try Data(password.utf8).write(to: passwordFile)
        if asNobody {
            try chownToNobody(directory)
            try chownToNobody(passwordFile)
        }
        let log = directory.appendingPathComponent("tools.log")
        // PostgreSQL cannot be told to pick a port; it gets one that was free a moment ago, and
        // another test may take that before PostgreSQL binds it. Then PostgreSQL exits at once,
        // and the next free port is tried.
        var attempt = 0
        while true {
            attempt += 1
            let server = PostgresTestServer(password: password, port: try ClosedPort().port, directory: directory, bin: bin, asNobody: asNobody)
            if attempt == 1 {
                try await server.tool("initdb", [
                    "-D", server.dataDirectory, "-U", user, "--pwfile=\(passwordFile.path)", "-E", "UTF8",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions", "--no-sync",
                ], log: log)
            }
            do {
                try await server.waitUntilAccepting(try server.spawnPostgres())
                return server
            } catch where attempt < 5 && server.lostItsPort {
                continue
            }
        }
    }

    /// Whether the server's last start ended because its port was taken.
    private var lostItsPort: Bool {
        ((try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? "").contains("Address already in use")
    }

    var dataDirectory: String { directory.appendingPathComponent("data").path }
    /// The server's own log, written by the server's user.
    var serverLog: String { directory.appendingPathComponent("postgres.log").path }

    /// Starts `postgres` itself as a child, its output in ``serverLog``. Not `pg_ctl start`:
    /// Foundation's `Process` never reports the end of a command that leaves a daemon behind.
    private func spawnPostgres() throws -> Process {
        let postgres = bin.appendingPathComponent("postgres").path
        let arguments = ["-D", dataDirectory, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1", "-k", directory.path]
        let process = Process()
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "nobody", "--", postgres] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: postgres)
            process.arguments = arguments
        }
        let log = FileManager.default.createFile(atPath: serverLog, contents: nil) ? FileHandle(forWritingAtPath: serverLog) : nil
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log?.close()
        return process
    }

    /// Shuts the server down but keeps its data, as an admin restarting it would.
    func pause() async throws {
        try await tool("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], log: directory.appendingPathComponent("tools.log"))
    }

    /// Starts the paused server again on the same port and waits until it accepts logins.
    func resume() async throws {
        try await waitUntilAccepting(try spawnPostgres())
    }

    /// Stops the server at once and deletes its directory.
    func stop() async {
        let log = directory.appendingPathComponent("tools.log")
        try? await tool("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], log: log)
        try? FileManager.default.removeItem(at: directory)
    }

    private func tool(_ name: String, _ arguments: [String], log: URL) async throws {
        let executable = bin.appendingPathComponent(name)
        let status = asNobody
            ? try await runProcess(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "nobody", "--", executable.path] + arguments, log: log)
            : try await runProcess(executable, arguments, log: log)
        guard status == 0 else {
            let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: " | ") ?? ""
            throw ServerError(message: "\(name) exited with \(status): \(tail)")
        }
    }

    /// Polls with a login until the server answers; fails at once when `postgres` has exited.
    private func waitUntilAccepting(_ postgres: Process) async throws {
        do {
            try await eventually("a login on 127.0.0.1:\(port)", timeout: .seconds(30), every: .milliseconds(50)) {
                guard postgres.isRunning else { throw ServerExited() }
                try await withConnection(database: "postgres") { _ in }
                return true
            }
        } catch {
            let log = (try? String(contentsOfFile: serverLog, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: " | ") ?? ""
            throw ServerError(message: "no login possible on 127.0.0.1:\(port): \(error); log: \(log)")
        }
    }

    private struct ServerExited: EndsWaiting, CustomStringConvertible {
        var description: String { "postgres exited" }
    }

    private static func chownToNobody(_ url: URL) throws {
        guard let nobody = getpwnam("nobody") else { throw ServerError(message: "there is no user nobody") }
        guard chown(url.path, nobody.pointee.pw_uid, nobody.pointee.pw_gid) == 0 else {
            throw ServerError(message: "chown \(url.path) to nobody failed (errno \(errno))")
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Starts one PostgreSQL server around a suite and stops it after; tests read it from
/// ``PostgresTestServer/current``.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite ? self : nil
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let availability = await PostgresTestServer.start()
        if case .notInstalled(let reason) = availability {
            FileHandle.standardError.write(Data("notice: \(TestDatabase.skipNotice(reason))\n".utf8))
        }
        do {
            try await PostgresTestServer.$current.withValue(availability) { try await function() }
        } catch {
            if case .running(let server) = availability { await server.stop() }
            throw error
        }
        if case .running(let server) = availability { await server.stop() }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A PostgreSQL server for the suite's tests (see ``PostgresTestServer``).
    static var postgresServer: Self { PostgresServerTrait() }
}
