import AppWebsocket
import Foundation
import KuandoHub
import KuandoSync
import Logging

/// One logged-in app of a user (AppWebsocket flow C): the config app, which reads and writes the
/// user's own settings and watches the status, or the hidden app, which relays hub HTTP for the
/// service. The API is documented in `docs/api.md`.
public actor AppPeer: HubRelayChannel {
    public enum Kind: String, Sendable {
        case hidden
        case config
    }

    public nonisolated let connection: AppWebsocketConnection
    public nonisolated let user: UserKey
    public nonisolated let kind: Kind
    public nonisolated let licensed: Bool
    private let registry: SessionRegistry
    private let logger: Logger
    private let relayID = UUID()
    private var traceToken: (UserKey, UUID)?
    private var traceSink: AsyncStream<String>.Continuation?
    private var traceForwarder: Task<Void, Never>?
    /// Trace lines kept for a hidden app that reads slower than they come; older ones are dropped.
    static let traceBacklog = 256
    private var statusWatch: Task<Void, Never>?
    private var testLampRestore: Task<Void, Never>?
    /// The hub watch the hidden app runs for the service, and the link that hears its reports.
    private var hubWatch: (id: Int, receiver: HubPoller)?
    /// The phone app's calls this connection reported and that have not ended.
    private var livePhoneCalls: Set<String> = []
    private var phoneCallRate = RateLimit(burst: AppPeer.phoneCallBurst, interval: AppPeer.phoneCallInterval)
    private var testHubRate = RateLimit(burst: 3, interval: .seconds(10))
    private let started = ContinuousClock.now

    /// The most phone-app calls a user may have at once, and how fast call events may come
    /// (a burst, then one per interval): a phone has a few calls, and a few events per call.
    static let maximumPhoneCalls = 8
    static let phoneCallBurst = 40
    static let phoneCallInterval = Duration.milliseconds(100)

    /// How long a relayed hub request may take: the hub's own request timeout plus the way through myApps.
    static let relayTimeout = Duration.seconds(4)

    public init(connection: AppWebsocketConnection, user: UserKey, kind: Kind, licensed: Bool, registry: SessionRegistry, logger: Logger) {
        self.connection = connection
        self.user = user
        self.kind = kind
        self.licensed = licensed
        self.registry = registry
        self.logger = logger
    }

    /// After the login: creates the user's session, records the licence, tells the app where it
    /// stands, and (hidden app) starts relaying and forwarding trace lines.
    public func start() async {
        do {
            try await registry.setLicensed(user, licensed)
        } catch {
            logger.error("cannot open the user's configuration", metadata: ["user": "\(user)", "error": "\(error)"])
            try? await connection.send(AppAPI.SessionInfo(error: "\(error)"))
            return
        }
        let prefix: @Sendable (String) -> String = kind == .hidden ? Trace.connector : Trace.config
        if !licensed {
            registry.traces.emit(prefix("no app license, stop service"), for: user)
        }
        try? await connection.send(AppAPI.SessionInfo(
            app: kind.rawValue, licensed: licensed, licence: AppNames.licence, user: .init(domain: user.domain, sip: user.sip)))
        guard kind == .hidden else { return }
        // One forwarder per app, fed in order: trace lines reach the console as they were made.
        let connection = self.connection
        let (lines, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(Self.traceBacklog))
        traceForwarder = Task {
            for await line in lines {
                guard (try? await connection.send(AppAPI.Trace(line: line))) != nil else { return }
            }
        }
        traceSink = sink
        traceToken = registry.traces.listen(to: user) { line in sink.yield(line) }
        if licensed {
            await registry.relayConnected(user, id: relayID, channel: self)
        }
    }

    /// The app's socket closed.
    public func closed() async {
        statusWatch?.cancel()
        testLampRestore?.cancel()
        if let traceToken { registry.traces.remove(traceToken) }
        traceSink?.finish()
        traceForwarder?.cancel()
        if kind == .hidden { await registry.relayDisconnected(user, id: relayID) }
    }

    public func handle(_ frame: Frame) async {
        guard frame.api == nil else {
            logger.debug("app message on an API ignored", metadata: ["user": "\(user)", "api": "\(frame.api ?? "")", "mt": "\(frame.mt)"])
            return
        }
        do {
            switch (kind, frame.mt) {
            case (.config, AppAPI.GetConfig.messageType): try await getConfig(frame)
            case (.config, AppAPI.SetConfig.messageType): try await setConfig(frame, frame.decode(AppAPI.SetConfig.self))
            case (.config, AppAPI.TestHub.messageType): try await testHub(frame, frame.decode(AppAPI.TestHub.self))
            case (.config, AppAPI.TestLamp.messageType): try await testLamp(frame, frame.decode(AppAPI.TestLamp.self))
            case (.config, AppAPI.GetStatus.messageType): try await getStatus(frame)
            case (.config, AppAPI.SubscribeStatus.messageType): try await subscribeStatus(frame)
            case (.hidden, AppAPI.PhoneCall.messageType): try await phoneCall(frame, frame.decode(AppAPI.PhoneCall.self))
            case (.hidden, AppAPI.HubRelayResult.messageType): break
            case (.hidden, AppAPI.HubWatchReport.messageType): await hubWatchReport(try frame.decode(AppAPI.HubWatchReport.self))
            case (.hidden, AppAPI.GetConfig.messageType), (.hidden, AppAPI.SetConfig.messageType), (.hidden, AppAPI.TestHub.messageType),
                (.hidden, AppAPI.TestLamp.messageType), (.hidden, AppAPI.GetStatus.messageType), (.hidden, AppAPI.SubscribeStatus.messageType):
                try await refuse(frame, "the hidden app only relays")
            default:
                // A request gets an answer so the app does not wait for one; anything else is dropped.
                logger.debug("app message ignored", metadata: ["user": "\(user)", "mt": "\(frame.mt)"])
                if frame.src != nil, !frame.mt.hasSuffix("Result") { try await refuse(frame, "unknown message \(frame.mt)") }
            }
        } catch {
            try? await refuse(frame, "\(error)")
        }
    }

    // MARK: config app

    private func getConfig(_ frame: Frame) async throws {
        try await answer(frame, AppAPI.GetConfigResult(config: try await registry.store.configOrDefaults(for: user)))
    }

    private func setConfig(_ frame: Frame, _ request: AppAPI.SetConfig) async throws {
        let patch = JSONValue.object(request.config)
        let old = try await registry.store.configOrDefaults(for: user)
        var problems: [ConfigProblem]
        let new: UserConfig
        do {
            new = try old.applying(patch: Data(patch.text.utf8))
            problems = new.problems()
        } catch let error as ConfigPatchError {
            return try await refuseConfig(frame, error.problems)
        }
        if problems.isEmpty, new.hubUrl != old.hubUrl {
            do {
                _ = try await registry.policy.route(for: new.hubUrl)
            } catch {
                problems.append(ConfigProblem(field: "hubUrl", message: error.description))
            }
        }
        guard problems.isEmpty else { return try await refuseConfig(frame, problems) }
        try await registry.store.save(new, for: user)
        registry.traces.emit(Trace.config("configuration saved"), for: user)
        await registry.configChanged(user, from: old, to: new)
        try await answer(frame, AppAPI.SetConfigResult(ok: true, config: new))
    }

    private func refuseConfig(_ frame: Frame, _ problems: [ConfigProblem]) async throws {
        try await answer(frame, AppAPI.SetConfigResult(ok: false, error: problems.map(\.description).joined(separator: "; "), problems: problems))
    }

    /// The connection test. Users get plain reasons; what a server sent (an excerpt of a reply
    /// that is not a hub's) goes to the admin's log only, and the test is rate-limited, so it
    /// cannot be used to read or scan the servers the admin allowed.
    private func testHub(_ frame: Frame, _ request: AppAPI.TestHub) async throws {
        var result = AppAPI.TestHubResult()
        guard testHubRate.take(now: ContinuousClock.now - started) else {
            result.error = "too many connection tests: try again in a few seconds"
            return try await answer(frame, result)
        }
        let saved = try await registry.store.configOrDefaults(for: user)
        let url = request.hubUrl ?? saved.hubUrl
        let made: (client: HubClient, transport: String)
        do {
            made = try await registry.makeClient(for: user, hubUrl: url, token: request.hubToken ?? saved.hubToken)
        } catch {
            result.error = "\(error)"
            return try await answer(frame, result)
        }
        result.transport = made.transport
        do {
            try await made.client.probe()
            result.reachable = true
            result.tokenAccepted = true
            let devices = try await made.client.devices()
            result.lamps = devices.map { AppAPI.TestHubResult.Lamp(path: $0.path, model: $0.modelName ?? "") }
            result.winner = try await made.client.currentPresence()
            result.ok = !devices.isEmpty
            if devices.isEmpty { result.error = HubError.noBusylight(url: made.client.displayURL).description }
        } catch let error as HubError {
            if case .unauthorized = error {
                result.reachable = true
                result.tokenAccepted = false
            }
            result.error = error.plainDescription
            if error.plainDescription != error.description {
                logger.notice("connection test: \(error.description)", metadata: ["user": "\(user)"])
            }
        }
        let outcome = result.ok ? "ok" : result.error ?? "failed"
        registry.traces.emit(Trace.config("test connection to \(made.client.displayURL): \(outcome)"), for: user)
        try await answer(frame, result)
    }

    private func testLamp(_ frame: Frame, _ request: AppAPI.TestLamp) async throws {
        guard licensed else { return try await refuse(frame, Self.unlicensedText) }
        let config = try await registry.store.configOrDefaults(for: user)
        let state = request.state ?? .busy
        var appearance = config.appearance(state)
        if let hex = request.color {
            guard let color = LampColor(hex: hex) else { return try await refuse(frame, "color \"\(hex)\" is not #RRGGBB") }
            appearance.color = color
        }
        if let effect = request.effect { appearance.effect = effect }
        let seconds = min(max(request.seconds ?? 5, 1), 30)
        let client: HubClient
        do {
            client = try await registry.makeClient(for: user, hubUrl: config.hubUrl, token: config.hubToken).client
            try await client.show(state, appearance)
        } catch {
            return try await refuse(frame, "\((error as? HubError)?.plainDescription ?? "\(error)")")
        }
        registry.traces.emit(Trace.config("test lamp: \(state.rawValue) for \(seconds) s"), for: user)
        try await send(AppAPI.Outcome(ok: true).frame(answering: frame))
        testLampRestore?.cancel()
        let session = try await registry.session(for: user)
        testLampRestore = Task {
            guard (try? await Task.sleep(for: .seconds(seconds))) != nil else { return }
            if await session.status.shownOnHub == nil { try? await client.release() }
            session.send(.hubConnected)
        }
    }

    private func getStatus(_ frame: Frame) async throws {
        let session = try await registry.session(for: user)
        try await answer(frame, AppAPI.GetStatusResult(status: await session.status))
    }

    private func subscribeStatus(_ frame: Frame) async throws {
        let session = try await registry.session(for: user)
        try await send(AppAPI.Outcome(ok: true).frame(answering: frame))
        statusWatch?.cancel()
        let connection = self.connection
        let src = frame.src
        let updates = await session.statusUpdates()
        statusWatch = Task {
            for await status in updates {
                guard (try? await connection.send(AppAPI.StatusUpdate(status: status), src: src)) != nil else { return }
            }
        }
    }

    // MARK: hidden app

    /// A call reported by the phone app through `com.innovaphone.phoneinfo` (for PBXs where the
    /// service has no RCC).
    private func phoneCall(_ frame: Frame, _ request: AppAPI.PhoneCall) async throws {
        guard let reported = PhoneInfo.CallEvent(event: request.event, call: request.call) else {
            return try await refuse(frame, "PhoneCall needs event (CallAdded, CallUpdated or CallRemoved) and call.id")
        }
        guard phoneCallRate.take(now: ContinuousClock.now - started) else {
            return try await refuse(frame, "too many call events: at most \(Self.phoneCallBurst) at once, then 10 a second")
        }
        let change = CallChange.phoneinfo(event: reported.kind.rawValue, id: reported.id, dir: reported.dir, state: reported.state)
        if change.phase == .ended {
            livePhoneCalls.remove(reported.id)
        } else if !livePhoneCalls.contains(reported.id) {
            guard livePhoneCalls.count < Self.maximumPhoneCalls else {
                return try await refuse(frame, "too many calls at once: at most \(Self.maximumPhoneCalls); end one with CallRemoved first")
            }
            livePhoneCalls.insert(reported.id)
        }
        let session = try await registry.session(for: user)
        session.send(.call(change))
        // The hidden app sends these without `src`; a sender that asks gets an answer.
        if frame.src != nil { try await send(AppAPI.Outcome(ok: true).frame(answering: frame)) }
    }

    public func relay(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        let relayed = AppAPI.HubRelayRequest(
            method: request.method.rawValue, url: request.url, body: request.body.map { String(decoding: $0, as: UTF8.self) }, token: request.token)
        let answer = try await connection.request(relayed, expecting: AppAPI.HubRelayResult.messageType, timeout: Self.relayTimeout)
            .decode(AppAPI.HubRelayResult.self)
        if let error = answer.error { throw HubRelayError.fetchFailed(error) }
        guard let status = answer.status else { throw HubRelayError.fetchFailed("the relay answered without a status") }
        return HubHTTPResponse(status: status, body: Data((answer.body ?? "").utf8))
    }

    public func watch(_ order: HubWatchOrder) async throws {
        hubWatch = (order.id, order.receiver)
        try await connection.send(AppAPI.HubWatch(
            watch: order.id, url: order.request.url, token: order.request.token, intervalMs: Int(order.interval.nanoseconds / 1_000_000),
            keepaliveMs: Int(order.keepalive.nanoseconds / 1_000_000)))
    }

    public func unwatch(_ id: Int) async {
        guard hubWatch?.id == id else { return }
        hubWatch = nil
        try? await connection.send(AppAPI.HubUnwatch(watch: id))
    }

    private func hubWatchReport(_ report: AppAPI.HubWatchReport) async {
        guard let hubWatch, hubWatch.id == report.watch else { return }
        let answer: HubWatchAnswer
        if report.same == true {
            answer = .unchanged
        } else if let error = report.error {
            answer = .answered(.failure(HubRelayError.fetchFailed(error)))
        } else if let status = report.status {
            answer = .answered(.success(HubHTTPResponse(status: status, body: Data((report.body ?? "").utf8))))
        } else {
            answer = .answered(.failure(HubRelayError.fetchFailed("the watch report has neither a status nor an error")))
        }
        await hubWatch.receiver.received(answer, polls: report.polls, watch: report.watch)
    }

    // MARK: answering

    static let unlicensedText = "no licence \(AppNames.licence) is assigned to this user: the administrator assigns it at the user object"

    private func send(_ frame: Frame) async throws {
        try await connection.send(frame)
    }

    private func answer(_ request: Frame, _ result: some AppMessage) async throws {
        try await connection.send(result, src: request.src)
    }

    private func refuse(_ frame: Frame, _ error: String) async throws {
        try await send(AppAPI.Outcome(ok: false, error: error).frame(answering: frame))
    }
}
