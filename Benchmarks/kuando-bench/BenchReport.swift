import Foundation

/// Start-up: PBX connect → every user monitored, and → every user's hub registered.
struct StartupResult: Codable, Sendable {
    var users: Int
    var monitoredSeconds: Double
    var hubsRegisteredSeconds: Double
    /// RCC `Initialize` → `InitializeResult`: the PBX's own time to announce the users.
    var announceSeconds: Double

    /// The two times, for the table.
    var summary: String { String(format: "all monitored %.2f s, all hubs registered %.2f s", monitoredSeconds, hubsRegisteredSeconds) }
}

/// PBX call step written → lamp command received by the hub, at one rate.
struct CallRun: Codable, Sendable {
    var users: Int
    var targetRate: Double
    var achievedRate: Double
    var events: Int
    /// Steps for which no lamp command arrived in time.
    var unmatched: Int
    var latency: LatencySummary
    /// Service p50 / loopback path p50, and the same for p99.
    var ratioP50: Double = 0
    var ratioP99: Double = 0

    /// The rate reached and the ratios to the loopback limit, for the table.
    var summary: String {
        String(format: "%.0f/s achieved, %d events, ×%.1f p50 ×%.1f p99 of limit", achievedRate, events, ratioP50, ratioP99)
            + (unmatched > 0 ? ", \(unmatched) unmatched" : "")
    }
}

/// Hub reply with a changed Manual Changer state → `SetPresence` received by the PBX.
struct PresenceRun: Codable, Sendable {
    var users: Int
    var rounds: Int
    var latency: LatencySummary
}

/// Resident set across a long run of call steps.
struct GrowthRun: Codable, Sendable {
    struct Sample: Codable, Sendable {
        var events: Int
        var rssKiB: Int
    }

    var users: Int
    var events: Int
    var seconds: Double
    var samples: [Sample]
    /// Last sample minus first (the first is taken after a tenth of the events, past warm-up).
    var growthKiB: Int
}

/// Resident set before the PBX connects and after every user is up.
struct MemoryResult: Codable, Sendable {
    var users: Int
    var rssBeforeKiB: Int
    var rssAfterKiB: Int
    var perUserKiB: Double
    /// The same after `malloc_trim(0)` on both sides: live memory, without the start-up's freed peak.
    var rssBeforeTrimmedKiB: Int
    var rssAfterTrimmedKiB: Int
    var perUserTrimmedKiB: Double
}

/// Step-wise rate search at one user count.
struct ThroughputResult: Codable, Sendable {
    var users: Int
    var steps: [CallRun]
    /// The highest rate whose p99 stayed under 5 ms while the generator kept up (0: none).
    var highestRateP99Under5ms: Double
}

/// One user count: everything measured with that many users.
struct UserCountReport: Codable, Sendable {
    var users: Int
    var startup: StartupResult
    /// The same start-up with the PBX announcing at a real PBX's pace (50 users per 20 ms).
    var startupAtRealPace: StartupResult?
    /// Every user's hub polled at 1 s, the hubs in a process of their own.
    var polling: PollingResult?
    var memory: MemoryResult
    var loopbackLimit: LoopbackLimit
    var calls: [CallRun]
    /// The fastest rate's calls again, the service logging through the real handler at `info`.
    var callsWithRealLog: CallRun?
    var presence: PresenceRun
    var throughput: ThroughputResult?
    var growth: GrowthRun?
}

struct BenchReport: Codable, Sendable {
    struct Machine: Codable, Sendable {
        var cores: Int
        var memoryMiB: Int
        var os: String
    }

    var quick: Bool
    var machine: Machine
    var pollIntervalMs: Int
    var runs: [UserCountReport]
    /// Many PBX domains in one process (issue 18).
    var instances: InstancesResult?
    var openHub: OpenHubLoad

    static var machine: Machine {
        let info = ProcessInfo.processInfo
        return Machine(cores: info.activeProcessorCount, memoryMiB: Int(info.physicalMemory / 1_048_576), os: info.operatingSystemVersionString)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The figures as a plain-text table.
    var table: String {
        func us(_ value: Double) -> String { String(format: "%.0f", value) }
        func line(_ name: String, _ summary: LatencySummary, _ extra: String = "") -> String {
            name.padding(toLength: 46, withPad: " ", startingAt: 0)
                + [us(summary.p50Us), us(summary.p99Us), us(summary.maxUs)].map { $0.leftPadded(9) }.joined() + "  " + extra
        }
        var out: [String] = []
        out.append("kuando-bench\(quick ? " --quick" : ""): \(machine.cores) cores, \(machine.memoryMiB) MiB, \(machine.os)")
        out.append("hub poll interval of the other users: \(pollIntervalMs) ms")
        for run in runs {
            out.append("")
            out.append("== \(run.users) users ==")
            out.append("latency (µs)".padding(toLength: 46, withPad: " ", startingAt: 0) + "p50".leftPadded(9) + "p99".leftPadded(9) + "max".leftPadded(9))
            out.append(line("loopback: HTTP one-way (AsyncHTTPClient)", run.loopbackLimit.httpOneWay))
            out.append(line("loopback: HTTP round trip", run.loopbackLimit.httpRoundTrip))
            out.append(line("loopback: websocket one-way", run.loopbackLimit.websocketOneWay))
            out.append(line("loopback: websocket round trip", run.loopbackLimit.websocketRoundTrip))
            out.append(line("loopback limit (ws + HTTP one-way)", run.loopbackLimit.path))
            for call in run.calls {
                out.append(line("CallInfo → hub request @ \(Int(call.targetRate))/s", call.latency, call.summary))
            }
            if let logged = run.callsWithRealLog {
                out.append(line("… the same, real log handler at info", logged.latency, logged.summary))
            }
            out.append(line("hub change → SetPresence (\(run.presence.users) users)", run.presence.latency))
            out.append("start-up, instant PBX: \(run.startup.summary)" + String(format: " (PBX announced in %.2f s)", run.startup.announceSeconds))
            if let paced = run.startupAtRealPace {
                out.append("start-up at the real PBX's pace: \(paced.summary)" + String(
                    format: " (PBX announced in %.2f s; ×%.2f)", paced.announceSeconds,
                    paced.announceSeconds > 0 ? paced.hubsRegisteredSeconds / paced.announceSeconds : 0))
            }
            if let polling = run.polling {
                out.append(String(format: "polling: %d direct + %d relay hubs every %d ms: %.0f polls/s; service %.1f %% of one core, hubs %.1f %%",
                                  polling.directUsers, polling.relayUsers, polling.intervalMs, polling.pollsPerSecond,
                                  polling.serviceCpuPercentOfOneCore, polling.hubsCpuPercentOfOneCore))
                out.append(line("hub change → PBX while all are polled (\(polling.changeToPBX.count))", polling.changeToPBX))
            }
            out.append(String(format: "memory: %d KiB before PBX, %d KiB after, %.2f KiB per user", run.memory.rssBeforeKiB, run.memory.rssAfterKiB, run.memory.perUserKiB))
            out.append(String(format: "memory after malloc_trim: %d KiB before PBX, %d KiB after, %.2f KiB per user",
                              run.memory.rssBeforeTrimmedKiB, run.memory.rssAfterTrimmedKiB, run.memory.perUserTrimmedKiB))
            if let throughput = run.throughput {
                let steps = throughput.steps.map { String(format: "%.0f/s→%.0f/s p99 %.0fµs", $0.targetRate, $0.achievedRate, $0.latency.p99Us) }
                out.append("throughput: " + steps.joined(separator: "; "))
                out.append(String(format: "throughput: highest sustained rate with p99 < 5 ms: %.0f events/s", throughput.highestRateP99Under5ms))
            }
            if let growth = run.growth {
                out.append(String(format: "growth over %d events (%.0f s): %+d KiB", growth.events, growth.seconds, growth.growthKiB)
                    + " (RSS KiB at each tenth: " + growth.samples.map { String($0.rssKiB) }.joined(separator: " ") + ")")
            }
        }
        if let run = instances {
            out.append("")
            out.append("== \(run.instances) instances × \(run.usersPerInstance) users in one process ==")
            out.append(line("loopback limit (ws + HTTP one-way)", run.loopbackLimit.path))
            out.append(line("CallInfo → hub request @ \(Int(run.calls.targetRate))/s", run.calls.latency, run.calls.summary))
            out.append("start-up, all PBXs at once: \(run.startup.summary)")
            out.append(String(format: "memory after malloc_trim: %d KiB before the service, %d KiB after, %.1f KiB per instance, %.2f KiB per user",
                              run.memory.rssBeforeTrimmedKiB, run.memory.rssAfterTrimmedKiB, run.memoryPerInstanceTrimmedKiB, run.memory.perUserTrimmedKiB))
        }
        out.append("")
        out.append("== open hub, \(openHub.connections) connections ==")
        for result in [openHub.light, openHub.currentPresence, openHub.bareRoute] {
            out.append(line("GET ?\(result.query)", result.latency, String(format: "%.0f req/s, %d errors", result.requestsPerSecond, result.errors)))
        }
        out.append(String(format: "open hub currentpresence ÷ bare Hummingbird route: ×%.2f", openHub.currentPresenceToBare))
        return out.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
