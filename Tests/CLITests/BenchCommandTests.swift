import Foundation
import TestSupport
import Testing

/// `kuando-bench --quick --json` runs end to end, so the benchmark never rots (issue 9). Only
/// that every section is there with plausible figures is checked, never the timings.
@Suite struct BenchCommandTests {
    static func object(_ value: Any?, _ path: String) throws -> [String: Any] {
        try #require(value as? [String: Any], "\(path) is not an object")
    }

    static func number(_ value: Any?, _ path: String) throws -> Double {
        try #require((value as? NSNumber)?.doubleValue, "\(path) is not a number")
    }

    /// `count`, `p50Us`, `p99Us`, `maxUs` all above zero, ordered p50 ≤ p99 ≤ max.
    static func expectLatency(_ value: Any?, _ path: String) throws {
        let summary = try object(value, path)
        let (count, p50, p99, max) = (
            try number(summary["count"], path + ".count"), try number(summary["p50Us"], path + ".p50Us"),
            try number(summary["p99Us"], path + ".p99Us"), try number(summary["maxUs"], path + ".maxUs"))
        #expect(count > 0 && p50 > 0, "\(path): \(summary)")
        #expect(p50 <= p99 && p99 <= max, "\(path): \(summary)")
    }

    @Test("kuando-bench --quick --json reports every section with figures above zero and the core count")
    func quickJSON() async throws {
        let result = try await KuandoProcess.run(["--quick", "--json"], executable: KuandoProcess.executable(named: "kuando-bench"))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Self.object(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)), "report")
        #expect(report["quick"] as? Bool == true)
        let machine = try Self.object(report["machine"], "machine")
        #expect(try Self.number(machine["cores"], "machine.cores") >= 1)

        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        let users = try Self.number(run["users"], "users")
        #expect(users > 0)

        let limit = try Self.object(run["loopbackLimit"], "loopbackLimit")
        for leg in ["httpOneWay", "httpRoundTrip", "websocketOneWay", "websocketRoundTrip", "path"] {
            try Self.expectLatency(limit[leg], "loopbackLimit.\(leg)")
        }
        let calls = try #require(run["calls"] as? [[String: Any]])
        #expect(!calls.isEmpty)
        for call in calls {
            try Self.expectLatency(call["latency"], "calls.latency")
            #expect(try Self.number(call["achievedRate"], "calls.achievedRate") > 0)
            #expect(try Self.number(call["ratioP99"], "calls.ratioP99") > 0)
            // How many steps the sink could not match depends on the machine's load: present, not zero.
            #expect(try Self.number(call["unmatched"], "calls.unmatched") >= 0)
        }
        let logged = try Self.object(run["callsWithRealLog"], "callsWithRealLog")
        try Self.expectLatency(logged["latency"], "callsWithRealLog.latency")
        #expect(try Self.number(logged["achievedRate"], "callsWithRealLog.achievedRate") > 0)
        try Self.expectLatency(try Self.object(run["presence"], "presence")["latency"], "presence.latency")

        let startup = try Self.object(run["startup"], "startup")
        #expect(try Self.number(startup["monitoredSeconds"], "startup.monitoredSeconds") > 0)
        #expect(try Self.number(startup["hubsRegisteredSeconds"], "startup.hubsRegisteredSeconds") > 0)
        #expect(try Self.number(startup["announceSeconds"], "startup.announceSeconds") > 0)
        let paced = try Self.object(run["startupAtRealPace"], "startupAtRealPace")
        #expect(try Self.number(paced["hubsRegisteredSeconds"], "startupAtRealPace.hubsRegisteredSeconds") > 0)
        #expect(try Self.number(paced["announceSeconds"], "startupAtRealPace.announceSeconds") > 0)
        let polling = try Self.object(run["polling"], "polling")
        #expect(try Self.number(polling["directUsers"], "polling.directUsers") + Self.number(polling["relayUsers"], "polling.relayUsers") == 40)
        #expect(try Self.number(polling["intervalMs"], "polling.intervalMs") == 1000)
        #expect(try Self.number(polling["pollsPerSecond"], "polling.pollsPerSecond") > 0, "the hubs in their own process were polled")
        #expect(try Self.number(polling["serviceCpuPercentOfOneCore"], "polling.serviceCpuPercentOfOneCore") > 0)
        try Self.expectLatency(polling["changeToPBX"], "polling.changeToPBX")
        let memory = try Self.object(run["memory"], "memory")
        #expect(try Self.number(memory["rssAfterKiB"], "memory.rssAfterKiB") > 0)

        let throughput = try Self.object(run["throughput"], "throughput")
        // Whether any rate held is a timing (a loaded debug build may hold none): only its presence is checked.
        #expect(try Self.number(throughput["highestRateP99Under5ms"], "throughput.highestRateP99Under5ms") >= 0)
        let steps = try #require(throughput["steps"] as? [[String: Any]])
        #expect(!steps.isEmpty, "throughput tried no rate")
        for step in steps { try Self.expectLatency(step["latency"], "throughput.steps.latency") }
        let growth = try Self.object(run["growth"], "growth")
        #expect(try Self.number(growth["events"], "growth.events") > 0)
        let samples = try #require(growth["samples"] as? [[String: Any]])
        #expect(samples.count == 10)
        for sample in samples { #expect(try Self.number(sample["rssKiB"], "growth.samples.rssKiB") > 0) }

        let instances = try Self.object(report["instances"], "instances")
        #expect(try Self.number(instances["instances"], "instances.instances") == 5)
        #expect(try Self.number(instances["usersPerInstance"], "instances.usersPerInstance") == 4)
        let instancesStartup = try Self.object(instances["startup"], "instances.startup")
        #expect(try Self.number(instancesStartup["users"], "instances.startup.users") == 20)
        #expect(try Self.number(instancesStartup["hubsRegisteredSeconds"], "instances.startup.hubsRegisteredSeconds") > 0, "every instance's users reached their hubs")
        #expect(try Self.number(instances["memoryPerInstanceTrimmedKiB"], "instances.memoryPerInstanceTrimmedKiB").isFinite)
        try Self.expectLatency(try Self.object(instances["loopbackLimit"], "instances.loopbackLimit")["path"], "instances.loopbackLimit.path")
        let instanceCalls = try Self.object(instances["calls"], "instances.calls")
        try Self.expectLatency(instanceCalls["latency"], "instances.calls.latency")
        #expect(try Self.number(instanceCalls["ratioP99"], "instances.calls.ratioP99") > 0)

        let openHub = try Self.object(report["openHub"], "openHub")
        #expect(try Self.number(openHub["connections"], "openHub.connections") == 50)
        #expect(try Self.number(openHub["currentPresenceToBare"], "openHub.currentPresenceToBare") > 0)
        for query in ["light", "currentPresence", "bareRoute"] {
            let result = try Self.object(openHub[query], "openHub.\(query)")
            #expect(try Self.number(result["requestsPerSecond"], "openHub.\(query).requestsPerSecond") > 0)
            #expect(try Self.number(result["errors"], "openHub.\(query).errors") == 0)
            try Self.expectLatency(result["latency"], "openHub.\(query).latency")
        }
    }
}
