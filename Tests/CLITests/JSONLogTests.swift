import Foundation
import TestSupport
import Testing

/// `--log-format json`: one JSON object per line with time, level, label, message and metadata.
@Suite struct JSONLogTests {
    @Test func everyLogLineOfTheServiceIsOneJSONObject() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let serve = try RunningKuando(
            ["serve", "--port", "0", "--listen", "127.0.0.1", "--password", "pw-of-sixteen-chars", "--db", "sqlite:\(folder.path)/connector.sqlite"],
            environment: ["KUANDO_LOG_FORMAT": "json"])
        _ = try await serve.waitFor("the banner") { $0.hasPrefix("kuando serve: listening") }
        #expect(try await serve.stop() == 0)
        let lines = serve.stderr.split(separator: "\n")
        #expect(lines.count >= 2, "\(serve.stderr)")
        var messages: [String] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
            #expect(Set(object.keys).isSubset(of: ["time", "level", "label", "message", "metadata"]), "\(line)")
            let time = try #require(object["time"] as? String)
            let parsed = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(time)
            #expect(abs(parsed.timeIntervalSinceNow) < 120, "time \(time)")
            #expect(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(object["level"] as? String), "\(line)")
            #expect(object["label"] as? String == "kuando.connector", "\(line)")
            messages.append(try #require(object["message"] as? String))
        }
        let opened = try #require(lines.first { $0.contains("config database opened") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(opened.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "notice")
        #expect((object["metadata"] as? [String: String])?["database"] == "sqlite:\(folder.path)/connector.sqlite")
        #expect(messages.contains { $0.hasPrefix("stopping") }, "\(messages)")
    }

    @Test func theLogLevelHoldsBackLessSevereLines() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let serve = try RunningKuando(
            ["serve", "--port", "0", "--listen", "127.0.0.1", "--password", "pw-of-sixteen-chars", "--db", "sqlite:\(folder.path)/connector.sqlite", "--log-format", "json"],
            environment: ["KUANDO_LOG_LEVEL": "warning"])
        _ = try await serve.waitFor("the banner") { $0.hasPrefix("kuando serve: listening") }
        #expect(try await serve.stop() == 0)
        for line in serve.stderr.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
            #expect(["warning", "error", "critical"].contains(object["level"] as? String), "written at level warning: \(line)")
        }
        #expect(!serve.stderr.contains("config database opened"))
    }
}
