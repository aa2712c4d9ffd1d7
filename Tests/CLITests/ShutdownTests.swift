import TestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM ends `kuando serve` promptly and with status 0, even with a websocket peer that never
/// answers the close.
@Suite struct ShutdownTests {
    /// A TCP connection that upgrades to a websocket and then never reads or answers again.
    final class SilentWebSocket {
        let descriptor: Int32

        init(port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(connected == 0, "cannot connect to 127.0.0.1:\(port)")
            let request = "GET /kuando/ HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            _ = request.withCString { write(descriptor, $0, strlen($0)) }
            var buffer = [UInt8](repeating: 0, count: 1024)
            let count = read(descriptor, &buffer, buffer.count)
            let head = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
            try #require(head.hasPrefix("HTTP/1.1 101"), "no websocket upgrade: \(head)")
        }

        deinit { close(descriptor) }
    }

    @Test func sigtermWithAPeerThatNeverAnswersTheCloseStillExitsZero() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-stop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let serve = try RunningKuando(
            ["serve", "--port", "0", "--listen", "127.0.0.1", "--db", "sqlite:\(folder.path)/connector.sqlite"],
            environment: ["KUANDO_PASSWORD": "a-password-of-16-chars"])
        let line = try await serve.waitFor("the listening line") { $0.contains("listening on port") }
        let port = try #require(line.split(separator: " ").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(line)")
        let silent = try SilentWebSocket(port: port)
        // Without a bound, the graceful shutdown waits for the websocket's close for ever.
        let status = try await serve.stop(within: .seconds(10))
        #expect(status == 0, "\(serve.stderr)")
        withExtendedLifetime(silent) {}
    }
}

extension ShutdownTests {
    @Test func aPortInUseEndsServeWithTheReasonAndAFailure() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-port-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["KUANDO_PASSWORD": "a-password-of-16-chars", "KUANDO_LISTEN": "127.0.0.1"]
        let first = try RunningKuando(["serve", "--port", "0", "--db", "sqlite:\(folder.path)/one.sqlite"], environment: environment)
        let line = try await first.waitFor("the listening line") { $0.contains("listening on port") }
        let port = try #require(line.split(separator: " ").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(line)")
        let second = try await KuandoProcess.run(["serve", "--port", String(port), "--db", "sqlite:\(folder.path)/two.sqlite"], environment: environment)
        #expect(second.status != 0)
        #expect(second.stderr.contains("could not listen on 127.0.0.1:\(port)"), "\(second.stderr)")
        #expect(try await first.stop() == 0)
    }
}
