import Foundation
import PBXSimulator
import Synchronization

/// Where each user's PBX call is in its cycle: every step changes the lamp (ringing, on the
/// phone, held, on the phone, free at the hang-up).
final class CallSteps: Sendable {
    private let calls = Mutex<[Int: (call: Int, step: Int)]>([:])

    /// Advances user `index`'s (SIP `sip`) call on `pbx` by one step, returning when the
    /// simulator has written it.
    func step(_ index: Int, sip: String, on pbx: PBXSimulator) async throws {
        switch calls.withLock({ $0[index] }) {
        case nil:
            let call = try await pbx.startIncomingCall(to: sip, from: "0301234")
            calls.withLock { $0[index] = (call, 1) }
        case let (call, step)?:
            switch step {
            case 1: try await pbx.connect(call)
            case 2: try await pbx.hold(call)
            case 3: try await pbx.retrieve(call)
            default: try await pbx.hangUp(call)
            }
            calls.withLock { $0[index] = step >= 4 ? nil : (call, step + 1) }
        }
    }
}

/// PBX call steps at a steady rate, each matched to the first lamp command the hub sink
/// received for its user after it.
enum CallLoad {
    /// Runs `count` steps at `rate` per second over `users` in turn (each the index of the user
    /// and of its hub at the sink); `step` writes one user's step.
    static func run(rate: Double, count: Int, users: [Int], sink: HubSink, step: (Int) async throws -> Void) async throws -> CallRun {
        sink.startRecording()
        var started: [(user: Int, time: ContinuousClock.Instant)] = []
        started.reserveCapacity(count)
        let interval = Duration.seconds(1 / rate)
        let begin = ContinuousClock.now
        for event in 0..<count {
            let due = begin + interval * event
            if ContinuousClock.now < due { try await Task.sleep(until: due, tolerance: .zero) }
            let user = users[event % users.count]
            let time = ContinuousClock.now
            try await step(user)
            started.append((user, time))
        }
        let sent = ContinuousClock.now
        let settle = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < settle, sink.recordedCommands < count { try await Task.sleep(for: .milliseconds(5)) }
        let arrivals = sink.stopRecording().commands
        let latencies = match(started: started, arrivals: arrivals)
        return CallRun(
            users: users.count, targetRate: rate, achievedRate: Double(count) / (sent - begin).seconds, events: count,
            unmatched: count - latencies.count, latency: LatencySummary(latencies))
    }

    /// For each step, the first arrival for its user after it and before that user's next step.
    static func match(started: [(user: Int, time: ContinuousClock.Instant)], arrivals: [HubSink.Arrival]) -> [Duration] {
        var byUser: [Int: [ContinuousClock.Instant]] = [:]
        for arrival in arrivals { byUser[arrival.user, default: []].append(arrival.time) }
        var stepsByUser: [Int: [ContinuousClock.Instant]] = [:]
        for step in started { stepsByUser[step.user, default: []].append(step.time) }
        var latencies: [Duration] = []
        for (user, steps) in stepsByUser {
            let times = (byUser[user] ?? []).sorted()
            var next = 0
            for (position, time) in steps.enumerated() {
                let limit = position + 1 < steps.count ? steps[position + 1] : nil
                while next < times.count, times[next] < time { next += 1 }
                guard next < times.count, limit.map({ times[next] < $0 }) ?? true else { continue }
                latencies.append(times[next] - time)
                next += 1
            }
        }
        return latencies
    }
}

extension CallRun {
    /// This run with its p50 and p99 as multiples of `limit`'s path.
    func against(_ limit: LoopbackLimit) -> CallRun {
        var run = self
        run.ratioP50 = limit.path.p50Us > 0 ? latency.p50Us / limit.path.p50Us : 0
        run.ratioP99 = limit.path.p99Us > 0 ? latency.p99Us / limit.path.p99Us : 0
        return run
    }
}
