import ConnectorService
import Foundation
import KuandoSync
import Logging
import PBXSimulator

/// Issue 18's load: `instances` PBX domains of `usersPerInstance` users each, served by one
/// service process (SQLite store, every instance in it), one PBX simulator per domain connecting
/// to its own `/<domain>/kuando/` URL, every user's hub the in-process sink.
///
/// Start-up runs from the moment all PBXs connect at once to every user monitored and every hub
/// registered. Memory is the resident set before the service starts against after the start-up
/// (trimmed), so the per-instance figure also carries the service's fixed cost spread over the
/// instances. The event path is the same call steps as the single-domain runs, spread over all
/// instances' users, against a loopback limit measured in the same run.
struct InstancesResult: Codable, Sendable {
    var instances: Int
    var usersPerInstance: Int
    var startup: StartupResult
    var memory: MemoryResult
    var memoryPerInstanceTrimmedKiB: Double
    var loopbackLimit: LoopbackLimit
    var calls: CallRun

    static func domain(_ instance: Int) -> String { "i\(instance).example" }
    static func password(_ instance: Int) -> String { "bench-instance-pw-\(instance)" }

    static func measure(
        instances: Int, usersPerInstance: Int, pollMs: Int, rate: Double, count: Int, limitSamples: Int, logger: Logger
    ) async throws -> InstancesResult {
        let users = instances * usersPerInstance
        let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let folder = scratch.appendingPathComponent("kuando-bench-instances-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sink = HubSink()
        let (sinkPort, sinkRunner) = try await sink.start(logger: logger)
        defer { sinkRunner.cancel() }

        // User i is user i % usersPerInstance of instance i / usersPerInstance; its hub is /u/i/.
        let store = try SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
        try await store.whileRunning {
            for instance in 0..<instances {
                try await store.setInstancePassword(domain: domain(instance), password: password(instance))
            }
            for index in 0..<users {
                var config = UserConfig.defaults
                config.hubUrl = "http://127.0.0.1:\(sinkPort)/u/\(index)/"
                config.pollIntervalMs = pollMs
                try await store.save(config, for: UserKey(domain: domain(index / usersPerInstance), guid: BenchRig.guid(index), sip: BenchRig.sip(index)))
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let before = MemorySample.now()

        let server = try await ConnectorServer.start(
            .init(port: 0, domain: domain(0), password: password(0), localHubsDirect: true), store: store,
            policy: HubNetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!], localHubsDirect: true), logger: logger)
        let frames = BenchRig.FrameClock(expectedUsers: users)
        let pbxs = (0..<instances).map { instance in
            PBXSimulator(
                configuration: .init(
                    serviceURL: "ws://127.0.0.1:\(server.port)/\(domain(instance))/kuando/", password: password(instance), domain: domain(instance),
                    testMode: true, requestTimeout: .seconds(60), recordsFrames: false),
                users: (0..<usersPerInstance).map { user in
                    let index = instance * usersPerInstance + user
                    return SimulatedUser(sip: BenchRig.sip(index), guid: BenchRig.guid(index), dn: "User \(index)")
                },
                logger: logger, onFrame: { frames.observe($0) })
        }
        do {
            let start = ContinuousClock.now
            for pbx in pbxs { await pbx.start() }
            let deadline = start + .seconds(120)
            var registered: ContinuousClock.Instant?
            var monitored: ContinuousClock.Instant?
            while monitored == nil || registered == nil {
                guard ContinuousClock.now < deadline else {
                    throw BenchError.timeout("start-up of \(instances) instances: \(sink.count(.register) / 2) of \(users) hubs registered")
                }
                if registered == nil, sink.count(.register) >= 2 * users { registered = .now }
                monitored = frames.allInitialised
                try await Task.sleep(for: .milliseconds(2))
            }
            let startup = StartupResult(
                users: users, monitoredSeconds: (monitored! - start).seconds, hubsRegisteredSeconds: (registered! - start).seconds,
                announceSeconds: frames.announceSeconds)
            try await Task.sleep(for: .seconds(1))
            let memory = MemoryResult(users: users, before: before, after: .now())
            let limit = try await LoopbackLimit.measure(sink: sink, sinkPort: sinkPort, count: limitSamples, spacing: .milliseconds(1), logger: logger)
            let steps = CallSteps()
            // Consecutive steps go to consecutive instances, so every instance's link carries calls.
            let order = (0..<users).map { ($0 % instances) * usersPerInstance + ($0 / instances) % usersPerInstance }
            let calls = try await CallLoad.run(rate: rate, count: count, users: order, sink: sink) { index in
                try await steps.step(index, sip: BenchRig.sip(index), on: pbxs[index / usersPerInstance])
            }.against(limit)
            for pbx in pbxs { await pbx.disconnect() }
            await server.stop()
            return InstancesResult(
                instances: instances, usersPerInstance: usersPerInstance, startup: startup, memory: memory,
                memoryPerInstanceTrimmedKiB: Double(memory.rssAfterTrimmedKiB - memory.rssBeforeTrimmedKiB) / Double(instances), loopbackLimit: limit, calls: calls)
        } catch {
            for pbx in pbxs { await pbx.disconnect() }
            await server.stop()
            throw error
        }
    }
}
