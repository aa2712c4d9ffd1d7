import ArgumentParser
import Foundation
import Logging
import PBXSimulator

/// `kuando-bench`: the service's latency, throughput, memory and start-up against the machine's
/// own loopback limit, and the open hub under load (issue 9). Build with `-c release`.
@main
struct KuandoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kuando-bench",
        abstract: "Benchmarks the connector service, PBX simulator and a hub sink on loopback, and the open hub.")

    @Flag(help: "A few seconds with few users: checks the benchmark works, not the timings.")
    var quick = false

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    @Option(parsing: .upToNextOption, help: "User counts to run.")
    var users: [Int] = [1000, 10_000]

    @Option(parsing: .upToNextOption, help: "Event rates (PBX call steps per second) for the latency runs.")
    var rates: [Double] = [100, 1000]

    @Option(help: "Seconds per latency run.")
    var seconds: Double = 10

    @Option(help: "Call steps for the memory growth run (at the largest user count).")
    var growthEvents = 1_000_000

    @Option(help: "Hub poll interval of all but the presence users, in ms (250–60000).")
    var pollMs = 60_000

    @Option(help: "Users whose hubs are polled every second and flipped for the SetPresence measurement.")
    var presenceUsers = 100

    @Option(help: "Seconds of the polling run, every user's hub polled at 1 s (0: none). At least 30: the connections' keepalives come every 30 s, together for apps that connected together.")
    var pollingSeconds: Double = 30

    @Option(help: "Percent of the users in the polling run whose hub is on their PC, watched by their hidden app (the rest are remote hubs the service polls).")
    var relayPercent = 90

    @Option(help: "PBX domains (instances) served by one process for the instances run (0: none).")
    var instances = 300

    @Option(help: "Users of each instance in the instances run.")
    var instanceUsers = 30

    @Flag(help: .hidden)
    var serveSink = false

    mutating func run() async throws {
        let logger = Logger(label: "kuando-bench") { _ in SwiftLogNoOpLogHandler() }
        if serveSink { return try await HubSink.serveStandalone(logger: logger) }
        if quick {
            users = [40]
            rates = [200]
            seconds = 1
            growthEvents = 2000
            presenceUsers = 10
            pollingSeconds = 3
            instances = 5
            instanceUsers = 4
        }
        let largest = users.max() ?? 0
        var runs: [UserCountReport] = []
        for count in users {
            progress("\(count) users: setting up")
            let rig = try await BenchRig(users: count, presenceUsers: presenceUsers, pollMs: pollMs, logger: logger)
            do {
                runs.append(try await measure(rig, withLongRuns: count == largest))
            } catch {
                await rig.stop()
                throw error
            }
            await rig.stop()
            progress("\(count) users: start-up at the real PBX's pace")
            let paced = try await BenchRig(users: count, presenceUsers: 0, pollMs: pollMs, pace: .realPBX, logger: logger)
            do {
                runs[runs.count - 1].startupAtRealPace = try await paced.connectPBX(timeout: .seconds(120))
            } catch {
                await paced.stop()
                throw error
            }
            await paced.stop()
            if let rate = rates.max() {
                progress("\(count) users: calls at \(Int(rate))/s with the real log handler (its lines go to /dev/null)")
                let logged = try await RealLogRun.measure(users: count, pollMs: pollMs, rate: rate, count: max(Int(rate * seconds), 50), logger: logger)
                runs[runs.count - 1].callsWithRealLog = logged.against(runs[runs.count - 1].loopbackLimit)
            }
            if pollingSeconds > 0 {
                progress("\(count) users: every hub polled at 1 s")
                runs[runs.count - 1].polling = try await PollingResult.measure(
                    users: count, relayUsers: count * min(max(relayPercent, 0), 100) / 100, intervalMs: 1000, seconds: pollingSeconds,
                    flipped: min(presenceUsers, count), logger: logger)
            }
        }
        var instancesRun: InstancesResult?
        if instances > 0, let rate = rates.max() {
            progress("\(instances) instances × \(instanceUsers) users in one process")
            instancesRun = try await InstancesResult.measure(
                instances: instances, usersPerInstance: instanceUsers, pollMs: pollMs, rate: rate, count: max(Int(rate * seconds), 50),
                limitSamples: quick ? 200 : 3000, logger: logger)
        }
        progress("open hub")
        let openHub = try await OpenHubLoad.measure(connections: 50, duration: .seconds(quick ? 1 : 5), logger: logger)
        let report = BenchReport(quick: quick, machine: BenchReport.machine, pollIntervalMs: pollMs, runs: runs, instances: instancesRun, openHub: openHub)
        print(json ? report.json : report.table)
    }

    private func measure(_ rig: BenchRig, withLongRuns: Bool) async throws -> UserCountReport {
        let users = rig.users
        try await Task.sleep(for: .milliseconds(500))
        let before = MemorySample.now()
        progress("\(users) users: PBX login")
        let startup = try await rig.connectPBX(timeout: .seconds(120))
        try await Task.sleep(for: .seconds(1))
        let memory = MemoryResult(users: users, before: before, after: .now())
        progress("\(users) users: loopback limit")
        let limit = try await LoopbackLimit.measure(sink: rig.sink, sinkPort: rig.sinkPort, count: quick ? 200 : 3000, spacing: .milliseconds(1), logger: rig.logger)
        var calls: [CallRun] = []
        for rate in rates {
            progress("\(users) users: calls at \(Int(rate))/s")
            calls.append(try await rig.callLatency(rate: rate, count: max(Int(rate * seconds), 50)).against(limit))
        }
        progress("\(users) users: SetPresence")
        let presence = try await rig.presenceLatency(rounds: quick ? 1 : 4)
        var throughput: ThroughputResult?
        var growth: GrowthRun?
        if withLongRuns {
            throughput = try await searchThroughput(rig, limit: limit)
            progress("\(users) users: growth over \(growthEvents) events")
            growth = try await rig.growth(count: growthEvents, window: 200)
        }
        return UserCountReport(
            users: users, startup: startup, startupAtRealPace: nil, memory: memory, loopbackLimit: limit, calls: calls, callsWithRealLog: nil, presence: presence,
            throughput: throughput, growth: growth)
    }

    /// Raises the rate until p99 reaches 5 ms or the generator falls behind.
    private func searchThroughput(_ rig: BenchRig, limit: LoopbackLimit) async throws -> ThroughputResult {
        let candidates: [Double] = quick ? [200, 400] : [500, 1000, 2000, 3000, 4000, 6000, 8000, 12_000, 16_000]
        var steps: [CallRun] = []
        var best = 0.0
        for rate in candidates {
            progress("\(rig.users) users: throughput at \(Int(rate))/s")
            let run = try await rig.callLatency(rate: rate, count: Int(rate * (quick ? 0.5 : 3))).against(limit)
            steps.append(run)
            let held = run.latency.p99Us < 5000 && run.achievedRate >= rate * 0.95 && run.unmatched == 0
            guard held else { break }
            best = rate
        }
        return ThroughputResult(users: rig.users, steps: steps, highestRateP99Under5ms: best)
    }

    private func progress(_ message: String) {
        FileHandle.standardError.write(Data("kuando-bench: \(message)\n".utf8))
    }
}
