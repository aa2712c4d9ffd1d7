import Foundation
import Hummingbird
import KuandoHub
import Logging
import NIOCore
import Synchronization

/// A minimal kuandoHUB stand-in on loopback that notes when each request arrives.
///
/// User `i`'s hub URL is `http://127.0.0.1:PORT/u/i/`, so the path names the user. Commands
/// are answered `200` with an empty body; `currentpresence` answers nothing running, or the
/// Manual Changer state set with ``setPresence(user:eventName:)`` (the moment the first reply
/// carries a new state is noted: that is the hub change the service reacts to).
final class HubSink: Sendable {
    enum Kind: Sendable {
        case register, command, poll, other
    }

    struct Arrival: Sendable {
        var user: Int
        var time: ContinuousClock.Instant
    }

    private struct State {
        var recording = false
        var commands: [Arrival] = []
        var bare: [ContinuousClock.Instant] = []
        var counts: [Kind: Int] = [:]
        var presence: [Int: String] = [:]
        var presenceUnsent: Set<Int> = []
        var presenceChanges: [Arrival] = []
    }

    private let state = Mutex(State())
    /// The relayed users' hidden apps, when the sink runs in a process of its own.
    let fleet = HiddenAppFleet()

    /// Commands (show/release) received; counted always, their arrivals kept only while recording.
    func count(_ kind: Kind) -> Int { state.withLock { $0.counts[kind] ?? 0 } }

    /// Commands kept since ``startRecording()``.
    var recordedCommands: Int { state.withLock { $0.commands.count } }

    /// Starts keeping command arrivals (and forgets earlier ones).
    func startRecording() {
        state.withLock {
            $0.recording = true
            $0.commands.removeAll(keepingCapacity: true)
            $0.bare.removeAll(keepingCapacity: true)
        }
    }

    func stopRecording() -> (commands: [Arrival], bare: [ContinuousClock.Instant]) {
        state.withLock {
            $0.recording = false
            return ($0.commands, $0.bare)
        }
    }

    /// From the next poll on, `user`'s hub answers that Manual Changer shows `eventName`.
    func setPresence(user: Int, eventName: String) {
        state.withLock {
            $0.presence[user] = eventName
            $0.presenceUnsent.insert(user)
        }
    }

    /// When each presence change was first sent to the service, and forgets them.
    func takePresenceChanges() -> [Arrival] {
        state.withLock { state in
            let taken = state.presenceChanges
            state.presenceChanges.removeAll()
            return taken
        }
    }

    private func note(_ kind: Kind, user: Int, at time: ContinuousClock.Instant) {
        state.withLock { state in
            state.counts[kind, default: 0] += 1
            if kind == .command, state.recording { state.commands.append(Arrival(user: user, time: time)) }
        }
    }

    private func noteBare(at time: ContinuousClock.Instant) {
        state.withLock { state in
            if state.recording { state.bare.append(time) }
        }
    }

    /// The reply to `user`'s poll; notes the moment a changed state goes out.
    private func pollReply(user: Int) -> ByteBuffer {
        state.withLock { state in
            guard let eventName = state.presence[user] else { return ByteBuffer() }
            if state.presenceUnsent.remove(user) != nil {
                state.presenceChanges.append(Arrival(user: user, time: .now))
            }
            let running = HubRunningCommand(sender: "Manual Changer", eventType: "Presence", eventName: eventName, action: "Light", parameter: nil)
            return ByteBuffer(bytes: running.replyBody)
        }
    }

    /// What a POST asks for, read from its `"action"` without decoding the whole body: the
    /// sink shares the cores with the service, so it does as little as it can.
    static func kind(ofPost body: String) -> Kind {
        for (action, kind) in [("RegisterDataSource", Kind.register), ("CreateInitialPriority", .register), ("Logout", .other)]
        where body.contains("\"action\":\"\(action)\"") {
            return kind
        }
        return body.contains("\"action\":") ? .command : .other
    }

    /// The user index in `/u/<index>/`, or nil.
    private static func user(in path: String) -> Int? {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, parts[0] == "u" else { return nil }
        return Int(parts[1])
    }

    /// Runs the sink on 127.0.0.1 with a free port; returns the port and the task running it.
    func start(logger: Logger) async throws -> (port: Int, runner: Task<Void, any Error>) {
        let router = Router()
        router.get("/bare") { [self] _, _ -> Response in
            noteBare(at: .now)
            return Response(status: .ok)
        }
        router.get("/u/:user/") { [self] request, context -> Response in
            Response(status: .ok, body: .init(byteBuffer: answerGet(user: Self.user(in: request.uri.path) ?? -1, query: request.uri.query ?? "")))
        }
        router.post("/u/:user/") { [self] request, context -> Response in
            let arrived = ContinuousClock.now
            let body = try await request.body.collect(upTo: 1 << 16)
            answerPost(user: Self.user(in: request.uri.path) ?? -1, body: String(buffer: body), arrived: arrived)
            return Response(status: .ok)
        }
        addControlRoutes(to: router)
        return await serveOnLoopback(router, logger: logger)
    }

    /// A GET of `user`'s hub (over HTTP, or from the user's hidden app in ``HiddenAppFleet``).
    func answerGet(user: Int, query: String) -> ByteBuffer {
        let arrived = ContinuousClock.now
        guard query.contains("currentpresence") else {
            note(.other, user: user, at: arrived)
            return ByteBuffer()
        }
        note(.poll, user: user, at: arrived)
        return pollReply(user: user)
    }

    /// A POST to `user`'s hub (answered 200, empty).
    func answerPost(user: Int, body: String, arrived: ContinuousClock.Instant = .now) {
        note(Self.kind(ofPost: body), user: user, at: arrived)
    }

    // MARK: in a process of its own

    /// Routes that let another process drive the sink (``SinkProcess``): flip the first users'
    /// Manual Changer state, take the moments the changes went out (`DispatchTime` ns, which
    /// both processes read from the same monotonic clock), read the counts.
    private func addControlRoutes(to router: Router<BasicRequestContext>) {
        router.post("/control/presence") { [self] request, _ -> Response in
            let from = request.uri.queryParameters.get("from", as: Int.self) ?? 0
            let users = request.uri.queryParameters.get("users", as: Int.self) ?? 0
            let event = request.uri.queryParameters.get("event") ?? "Busy"
            for user in from..<(from + users) { setPresence(user: user, eventName: event) }
            return Response(status: .ok)
        }
        router.get("/control/changes") { [self] _, _ -> String in
            let now = (ContinuousClock.now, DispatchTime.now().uptimeNanoseconds)
            return takePresenceChanges()
                .map { "\($0.user) \(Self.dispatchNanoseconds($0.time, now: now))" }
                .joined(separator: "\n")
        }
        router.get("/control/counts") { [self] _, _ -> String in
            "\(count(.register)) \(count(.poll)) \(count(.command))"
        }
        router.post("/control/apps") { [self] request, _ -> Response in
            let parameters = request.uri.queryParameters
            guard let service = parameters.get("service"), let password = parameters.get("password"), let domain = parameters.get("domain"),
                let from = parameters.get("from", as: Int.self), let to = parameters.get("to", as: Int.self), from <= to
            else { return Response(status: .badRequest) }
            try await fleet.start(HiddenAppFleet.Plan(service: service, domain: domain, password: password, users: from..<to), sink: self)
            return Response(status: .ok)
        }
    }

    /// `instant` as `DispatchTime` nanoseconds, from a pair read at one moment.
    static func dispatchNanoseconds(_ instant: ContinuousClock.Instant, now: (ContinuousClock.Instant, UInt64)) -> UInt64 {
        let (seconds, attoseconds) = (now.0 - instant).components
        let back = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return UInt64(max(Int64(now.1) - back, 0))
    }

    /// Runs a sink until the process is killed, after printing `port <n>` on standard output.
    static func serveStandalone(logger: Logger) async throws {
        let sink = HubSink()
        let (port, runner) = try await sink.start(logger: logger)
        FileHandle.standardOutput.write(Data("port \(port)\n".utf8))
        try await runner.value
    }
}
