import TestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `kuando demo --keep-running`: after the story the service stays up, and its `/metrics`
/// shows what the story did.
@Suite struct DemoMetricsTests {
    @Test func afterTheStoryMetricsShowTheUserAndTheHubRequests() async throws {
        let demo = try RunningKuando(["demo", "--keep-running", "--no-color"])
        let line = try await demo.waitFor("the metrics URL", timeout: .seconds(60)) { $0.contains("service metrics") }
        let address = try #require(line.split(separator: " ").last.map(String.init))
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: address)))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let metrics = String(decoding: data, as: UTF8.self)
        #expect(try Self.value(#"kuando_users{instance="example.com"}"#, in: metrics) == 1, "\(metrics)")
        #expect(try Self.value(#"kuando_pbx_connected{instance="example.com"}"#, in: metrics) == 1, "\(metrics)")
        #expect(try Self.value(#"kuando_hub_requests_total{instance="example.com",result="ok"}"#, in: metrics) > 10, "\(metrics)")
        #expect(try Self.value(#"kuando_hub_request_duration_seconds_count{instance="example.com"}"#, in: metrics) > 10, "\(metrics)")
        #expect(try await demo.stop() == 0)
    }

    /// The value of the sample named exactly `name` (labels included) in Prometheus text.
    static func value(_ name: String, in text: String) throws -> Double {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(name + " ") }, "no sample \(name)")
        return try #require(Double(line.split(separator: " ").last.map(String.init) ?? ""), "\(line)")
    }
}
