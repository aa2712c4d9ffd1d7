import AsyncHTTPClient
import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Chromium and chromedriver from the machine (Debian: `apt-get install chromium chromium-driver`),
/// and a headless browser session for one test.
enum Browser {
    /// Where the two programs are: `$CHROMIUM` / `$CHROMEDRIVER`, else the Debian paths.
    static let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium"
    static let chromedriver = ProcessInfo.processInfo.environment["CHROMEDRIVER"] ?? "/usr/bin/chromedriver"

    static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }

    /// Whether the browser tests run. Missing programs skip them with a notice, except in CI
    /// (`CI=true`), where the tests run and fail so a broken setup cannot pass unseen.
    static let enabled: Bool = {
        if installed { return true }
        if OutsidePrograms.requiredHere { return true }
        FileHandle.standardError.write(Data("""
            BrowserTests: SKIPPED — \(chromium) or \(chromedriver) is missing; \
            install them with `apt-get install chromium chromium-driver` (CI=true makes this a failure).

            """.utf8))
        return false
    }()

    /// Starts chromedriver on a free loopback port, opens a headless session with this window
    /// size, runs `body`, then closes the session and stops chromedriver, also when `body` throws.
    static func withSession<T: Sendable>(
        width: Int = 1280, height: Int = 800, arguments: [String] = [], _ body: @Sendable (WebDriver) async throws -> T
    ) async throws -> T {
        guard installed else { throw BrowserMissing(chromium: chromium, chromedriver: chromedriver) }
        let driver = try await ChromeDriver.start(executable: chromedriver)
        do {
            let session = try await WebDriver.newSession(endpoint: driver.endpoint, chromium: chromium, width: width, height: height, arguments: arguments)
            do {
                let result = try await body(session)
                try? await session.delete()
                await driver.stop()
                return result
            } catch {
                try? await session.delete()
                throw error
            }
        } catch {
            await driver.stop()
            throw error
        }
    }
}

struct BrowserMissing: Error, CustomStringConvertible {
    var chromium: String
    var chromedriver: String
    var description: String {
        "\(chromium) or \(chromedriver) is missing; install them with `apt-get install chromium chromium-driver`"
    }
}

/// A chromedriver process listening on 127.0.0.1.
struct ChromeDriver: Sendable {
    let endpoint: URL
    private let process: Process
    let logFile: URL

    /// Starts chromedriver on a free port and waits (up to 20 s) until `/status` says ready.
    static func start(executable: String) async throws -> ChromeDriver {
        // Free a moment ago: chromedriver cannot be told to pick a port itself.
        let port = try ClosedPort().port
        let log = FileManager.default.temporaryDirectory.appending(path: "chromedriver-\(port).log")
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = ["--port=\(port)", "--log-path=\(log.path)"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let driver = ChromeDriver(endpoint: URL(string: "http://127.0.0.1:\(port)/")!, process: process, logFile: log)
        do {
            try await eventually("chromedriver on port \(port) ready", timeout: .seconds(20), every: WebDriver.probeInterval) { try await driver.isReady() }
        } catch {
            await driver.stop()
            throw error
        }
        return driver
    }

    private struct Status: Decodable {
        struct Value: Decodable { var ready: Bool }
        var value: Value
    }

    private func isReady() async throws -> Bool {
        guard process.isRunning else { throw ChromeDriverExited(status: process.terminationStatus, log: logFile.path) }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(HTTPClientRequest(url: endpoint.appending(path: "status").absoluteString), timeout: .seconds(2))
        } catch {
            return false  // not listening yet
        }
        let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        return try JSONDecoder().decode(Status.self, from: data).value.ready
    }

    /// Asks chromedriver to shut down (it ignores SIGTERM), waits up to 5 s, then kills it.
    func stop() async {
        if process.isRunning {
            _ = try? await HTTPClient.shared.execute(HTTPClientRequest(url: endpoint.appending(path: "shutdown").absoluteString), timeout: .seconds(5))
        }
        try? await eventually("chromedriver exited", timeout: .seconds(5)) { !process.isRunning }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? await eventually("chromedriver killed", timeout: .seconds(5)) { !process.isRunning }
    }
}

struct ChromeDriverExited: EndsWaiting, CustomStringConvertible {
    var status: Int32
    var log: String
    var description: String { "chromedriver exited with status \(status) before it was ready; see \(log)" }
}
