import AppWebsocket
import Busylight
import ConnectorService
import Foundation
import KuandoHub
import KuandoSync
import Logging
import PBXSimulator
import ServiceLifecycle
import Synchronization
import Timing

/// The seed's story on a ``LoopbackStage``: what `kuando demo` shows and `SeedFlowTests` checks.
/// The service calls hubs on this machine directly, the myApps stand-in's logins are brokered by
/// the simulated PBX (licence test mode), and one user, alice, has the open hub as hub, read as
/// often as the config allows so the story moves quickly.
///
/// ```swift
/// let stage = try await StoryStage.start(logger: logger, timeout: .seconds(10))
/// for step in SeedStory.steps(StoryExpectations()) { _ = try await step.run(stage) }
/// await stage.stop()   // Logout to the hub, sockets closed, temporary folder removed
/// ```
public final class StoryStage: Sendable {
    public static let user = SimulatedUser(sip: "alice", guid: "a11ce000a11ce000a11ce000a11ce000", dn: "Alice Example", e164: "201")
    public static let domain = "example.com"
    /// How often the user's session reads the hub: the shortest the config allows.
    static let pollIntervalMs = UserConfig.pollIntervalRange.lowerBound

    public let loopback: LoopbackStage
    /// The user's session in the service.
    public let session: UserSession
    /// The connection 3rd-party applications post to the hub with.
    let transport: HTTPHubTransport
    /// How long any one wait may take.
    public let timeout: Duration

    private init(loopback: LoopbackStage, session: UserSession, transport: HTTPHubTransport, timeout: Duration) {
        self.loopback = loopback
        self.session = session
        self.transport = transport
        self.timeout = timeout
    }

    public var lamp: SimulatedLamp { loopback.lamp }
    public var hub: OpenHub { loopback.hub }
    public var pbx: PBXSimulator { loopback.pbx }
    public var server: ConnectorServer { loopback.server }
    /// The open hub's base URL, `http://127.0.0.1:<port>/`.
    public var hubURL: String { "http://127.0.0.1:\(loopback.hubPorts[0])/" }
    public var serviceURL: String { loopback.serviceURL }
    public var appsURL: String { loopback.appsURL }

    /// The story's user as the service keys them.
    public static var userKey: UserKey { UserKey(domain: domain, guid: user.guid, sip: user.sip) }

    /// Starts every part and returns once the PBX is linked, the service monitors the user and
    /// the user's session reaches the open hub.
    ///
    /// - Throws: ``StorySetupError`` naming the part that did not come up; what did start is stopped.
    public static func start(logger: Logger, timeout: Duration) async throws -> StoryStage {
        let loopback: LoopbackStage
        do {
            loopback = try await LoopbackStage.start(.init(
                users: [user], testMode: true, localHubsDirect: true, password: UUID().uuidString, domain: domain, standin: true,
                serviceLogger: logger, logger: logger, pbxRequestTimeout: timeout))
        } catch {
            throw StorySetupError("\(error)")
        }
        let transport = HTTPHubTransport()
        let session: UserSession
        do {
            try await loopback.pbx.waitUntil(timeout: timeout) { state in
                state.events.contains { if case .userMonitored(user.sip, _) = $0 { true } else { false } }
                    && state.events.contains(.presenceSubscribed(sip: user.sip))
            }
            let hubURL = "http://127.0.0.1:\(loopback.hubPorts[0])/"
            try await loopback.setConfig(for: user.sip, ["hubUrl": .string(hubURL), "pollIntervalMs": .int(pollIntervalMs)])
            session = try await loopback.server.registry.session(for: userKey)
            try await waitForStatus(of: session, timeout: timeout) { $0.hubReachable && $0.hubTransport == "direct" }
        } catch {
            try? await transport.shutdown()
            await loopback.stop()
            throw StorySetupError("\(user.sip) was not monitored, or the session did not reach the open hub: \(error)")
        }
        return StoryStage(loopback: loopback, session: session, transport: transport, timeout: timeout)
    }

    /// Stops everything: the 3rd-party apps' connection, and the loopback stage.
    public func stop() async {
        try? await transport.shutdown()
        await loopback.stop()
    }

    /// A 3rd-party application posting to the open hub.
    public func app(_ platform: String) -> ThirdPartyApp {
        ThirdPartyApp(platform: platform, hubURL: hubURL, transport: transport)
    }

    // MARK: waiting for what happens

    /// Waits until the lamp shows what `condition` accepts.
    /// - Throws: ``StoryStepFailure`` with `expected` and what the lamp showed instead.
    @discardableResult
    public func lampShows(_ expected: String, _ condition: @escaping @Sendable (SimulatedLampSnapshot) -> Bool) async throws -> SimulatedLampSnapshot {
        do {
            return try await lamp.waitUntil(timeout: timeout, condition)
        } catch let timedOut as SimulatedLampTimeout {
            throw StoryStepFailure(expected: expected, seen: "the lamp shows \(LampShade(timedOut.last).text)")
        }
    }

    /// Waits until the PBX's state satisfies `condition`.
    /// - Throws: ``StoryStepFailure`` with `expected` and the demo user's calls and presence on the PBX.
    public func pbxShows(_ expected: String, _ condition: @escaping @Sendable (PBXSimulatorState) -> Bool) async throws {
        do {
            try await pbx.waitUntil(timeout: timeout, condition)
        } catch PBXSimulatorError.timeout {
            throw StoryStepFailure(expected: expected, seen: "the PBX shows " + Self.describe(await pbx.state))
        }
    }

    /// Waits until the demo user's session status satisfies `condition`.
    public func statusShows(_ expected: String, _ condition: @escaping @Sendable (SessionStatus) -> Bool) async throws {
        do {
            try await Self.waitForStatus(of: session, timeout: timeout, condition)
        } catch is StoryDeadlinePassed {
            let status = await session.status
            throw StoryStepFailure(
                expected: expected,
                seen: "the service's session shows hub winner \(status.hubWinner.traceText), 3rd-party call \(status.thirdPartyCall ?? "none")")
        }
    }

    /// Waits until the service has read the hub `count` more times (each read is an input to the
    /// user's session, which publishes its status after it).
    public func hubReads(_ count: Int) async throws {
        let updates = await session.statusUpdates()
        try await withDeadline(timeout, "the service to read the hub \(count) times") {
            var seen = -1
            for await _ in updates {
                seen += 1
                if seen == count { return }
            }
            throw StoryStepFailure(expected: "the service reading the hub \(count) times", seen: "the user's session ended")
        }
    }

    /// The demo user's trace lines from now on.
    public func traceLines() -> AsyncStream<String> {
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        let traces = server.registry.traces
        let token = traces.listen(to: Self.userKey) { sink.yield($0) }
        sink.onTermination = { _ in traces.remove(token) }
        return lines
    }

    /// Waits for a trace line of the demo user that contains `text`, in `lines`.
    public func traceLine(containing text: String, in lines: AsyncStream<String>) async throws -> String {
        do {
            return try await withDeadline(timeout, "a trace line \"\(text)\"") {
                for await line in lines where line.contains(text) { return line }
                throw StoryDeadlinePassed(waitingFor: text)
            }
        } catch is StoryDeadlinePassed {
            throw StoryStepFailure(expected: "the trace line \"\(text)\"", seen: "no such line within \(timeout)")
        }
    }

    static func waitForStatus(of session: UserSession, timeout: Duration, _ condition: @escaping @Sendable (SessionStatus) -> Bool) async throws {
        let updates = await session.statusUpdates()
        try await withDeadline(timeout, "a session status") {
            for await status in updates where condition(status) { return }
            throw StoryDeadlinePassed(waitingFor: "a session status")
        }
    }

    /// The demo user's calls, alien calls and presence on the PBX, in words.
    static func describe(_ state: PBXSimulatorState) -> String {
        let calls = state.calls.values.filter { $0.user == user.sip }
        let presence = state.telPresence(of: user.sip)
        let activity = presence.map { $0.activity.isEmpty ? "available" : $0.activity } ?? "available"
        let note = presence.map { $0.note.isEmpty ? "" : " (note \"\($0.note)\")" } ?? ""
        return "\(user.sip) with \(calls.count) call(s), \(state.alienCalls[user.sip]?.count ?? 0) alien call(s), presence \(activity)\(note)"
    }
}

/// Runs `body`, giving up after `timeout`.
/// - Throws: ``StoryDeadlinePassed`` when the time ran out; whatever `body` throws.
func withDeadline<T: Sendable>(_ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let value = try await withTimeout(timeout, body) else { throw StoryDeadlinePassed(waitingFor: what) }
    return value
}

/// A wait of the demo ran out of time.
public struct StoryDeadlinePassed: Error, CustomStringConvertible {
    public var waitingFor: String
    public var description: String { "gave up waiting for \(waitingFor)" }
}

/// The demo could not set its parts up.
public struct StorySetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
