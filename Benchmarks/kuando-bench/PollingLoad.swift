import Foundation
import Logging

/// The design's load (issue 17): every user's hub polled at `intervalMs`, the hubs in a process
/// of their own so the service's CPU time reads apart from theirs.
///
/// The first `users − relayUsers` hubs are remote (direct: the service polls them); the last
/// `relayUsers` are on the users' PCs, watched by their hidden apps (``HiddenAppFleet``, in the
/// hubs' process), which poll them there and send the service only changes. The service's
/// process also holds the PBX simulator, which meanwhile only answers the `SetPresence`s of the
/// flipped users. While the load runs, `flipped` users' hubs (half direct, half relayed, where
/// there are both) change their Manual Changer state every 2.5 s; hub reply carrying the change
/// → `SetPresence` received by the PBX is `changeToPBX`.
struct PollingResult: Codable, Sendable {
    var relayUsers: Int
    var directUsers: Int
    var intervalMs: Int
    var seconds: Double
    /// Polls of the hubs a second, by the service (direct) and by the hidden apps (relayed).
    var pollsPerSecond: Double
    var serviceCpuPercentOfOneCore: Double
    /// The hubs' process, with the hidden apps that watch the relayed ones.
    var hubsCpuPercentOfOneCore: Double
    var changeToPBX: LatencySummary
    var directChangeToPBX: LatencySummary
    var relayChangeToPBX: LatencySummary

    static func measure(users: Int, relayUsers: Int, intervalMs: Int, seconds: Double, flipped: Int, logger: Logger) async throws -> PollingResult {
        let hubs = try await SinkProcess.start()
        do {
            let result = try await measure(
                users: users, relayUsers: min(relayUsers, users), intervalMs: intervalMs, seconds: seconds, flipped: flipped, hubs: hubs, logger: logger)
            await hubs.stop()
            return result
        } catch {
            await hubs.stop()
            throw error
        }
    }

    private static func measure(
        users: Int, relayUsers: Int, intervalMs: Int, seconds: Double, flipped: Int, hubs: SinkProcess, logger: Logger
    ) async throws -> PollingResult {
        let rig = try await BenchRig(users: users, relayUsers: relayUsers, presenceUsers: 0, pollMs: intervalMs, external: hubs, logger: logger)
        let directUsers = users - relayUsers
        do {
            if relayUsers > 0 {
                try await hubs.startApps(.init(
                    service: rig.stage.websocketURL, domain: BenchRig.domain, password: BenchRig.password, users: directUsers..<users))
            }
            _ = try await rig.connectPBX(timeout: .seconds(180))
            // Every poller's first poll follows its registration; a few intervals spread them out.
            try await Task.sleep(for: .milliseconds(intervalMs * 3))
            _ = rig.takeSetPresence()
            _ = try await hubs.takeChanges()
            let flipped = min(flipped, users)
            let flippedDirect = relayUsers == 0 ? flipped : directUsers == 0 ? 0 : min(flipped / 2, directUsers)
            let flippedRelay = min(flipped - flippedDirect, relayUsers)
            let begin = (ContinuousClock.now, ProcessCPU.own(), hubs.cpuSeconds(), try await hubs.counts().poll)
            var changes: [Int: [UInt64]] = [:]
            var answered: [String: [ContinuousClock.Instant]] = [:]
            var round = 0
            while ContinuousClock.now - begin.0 < .seconds(seconds) {
                let event = round % 2 == 0 ? "Busy" : "Available"
                try await hubs.flip(from: 0, users: flippedDirect, to: event)
                try await hubs.flip(from: directUsers, users: flippedRelay, to: event)
                round += 1
                try await Task.sleep(for: .milliseconds(2500))
                for change in try await hubs.takeChanges() { changes[change.user, default: []].append(change.nanoseconds) }
                for set in rig.takeSetPresence() { answered[set.sip, default: []].append(set.time) }
            }
            let end = (ContinuousClock.now, ProcessCPU.own(), hubs.cpuSeconds(), try await hubs.counts().poll)
            let elapsed = (end.0 - begin.0).seconds
            // SetPresence instants as DispatchTime ns, from a pair read at one moment.
            let now = (ContinuousClock.now, DispatchTime.now().uptimeNanoseconds)
            var latencies: (direct: [Duration], relay: [Duration]) = ([], [])
            for (user, sent) in changes {
                let received = (answered[BenchRig.sip(user)] ?? []).map { HubSink.dispatchNanoseconds($0, now: now) }.sorted()
                for time in sent {
                    guard let first = received.first(where: { $0 >= time }) else { continue }
                    let latency = Duration.nanoseconds(Int64(first - time))
                    if user < directUsers { latencies.direct.append(latency) } else { latencies.relay.append(latency) }
                }
            }
            await rig.stop()
            return PollingResult(
                relayUsers: relayUsers, directUsers: directUsers, intervalMs: intervalMs, seconds: elapsed,
                pollsPerSecond: Double(end.3 - begin.3) / elapsed,
                serviceCpuPercentOfOneCore: 100 * (end.1 - begin.1) / elapsed,
                hubsCpuPercentOfOneCore: 100 * (end.2 - begin.2) / elapsed,
                changeToPBX: LatencySummary(latencies.direct + latencies.relay),
                directChangeToPBX: LatencySummary(latencies.direct), relayChangeToPBX: LatencySummary(latencies.relay))
        } catch {
            await rig.stop()
            throw error
        }
    }
}
