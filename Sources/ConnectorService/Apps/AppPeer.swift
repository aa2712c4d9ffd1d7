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
    private var statusWatch: Task<Void, Never>?
    private var testLampRestore: Task<Void, Never>?
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
            try? await send(Frame(mt: "SessionInfo", fields: ["error": .string("\(error)")]))
            return
        }
        let prefix: @Sendable (String) -> String = kind == .hidden ? Trace.connector : Trace.config
        if !licensed {
            registry.traces.emit(prefix("no app license, stop service"), for: user)
        }
        try? await send(Frame(mt: "SessionInfo", fields: [
            "app": .string(kind.rawValue),
            "licensed": .bool(licensed),
            "licence": .string(AppNames.licence),
            "user": .object(["domain": .string(user.domain), "sip": .string(user.sip)]),
        ]))
        guard kind == .hidden else { return }
        let connection = self.connection
        traceToken = registry.traces.listen(to: user) { line in
            Task { try? await connection.send(Frame(mt: "Trace", fields: ["line": .string(line)])) }
        }
        if licensed {
            await registry.relayConnected(user, id: relayID, channel: self)
        }
    }

    /// The app's socket closed.
    public func closed() async {
        statusWatch?.cancel()
        testLampRestore?.cancel()
        if let traceToken { registry.traces.remove(traceToken) }
        if kind == .hidden { await registry.relayDisconnected(user, id: relayID) }
    }

    public func handle(_ frame: Frame) async {
        guard frame.api == nil else {
            logger.debug("app message on an API ignored", metadata: ["user": "\(user)", "api": "\(frame.api ?? "")", "mt": "\(frame.mt)"])
            return
        }
        do {
            switch (kind, frame.mt) {
            case (.config, "GetConfig"): try await getConfig(frame)
            case (.config, "SetConfig"): try await setConfig(frame)
            case (.config, "TestHub"): try await testHub(frame)
            case (.config, "TestLamp"): try await testLamp(frame)
            case (.config, "GetStatus"): try await getStatus(frame)
            case (.config, "SubscribeStatus"): try await subscribeStatus(frame)
            case (.hidden, "PhoneCall"): try await phoneCall(frame)
            case (.hidden, "HubRelayResult"): break
            case (.hidden, "GetConfig"), (.hidden, "SetConfig"), (.hidden, "TestHub"), (.hidden, "TestLamp"),
                (.hidden, "GetStatus"), (.hidden, "SubscribeStatus"):
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
        let config = try await registry.store.configOrDefaults(for: user)
        try await answer(frame, ["config": JSONValue(encoding: config)])
    }

    private func setConfig(_ frame: Frame) async throws {
        guard let patch = frame.object["config"], case .object = patch else {
            return try await answer(frame, ["ok": .bool(false), "error": .string("SetConfig needs a config object")])
        }
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
        try await answer(frame, ["ok": .bool(true), "config": JSONValue(encoding: new)])
    }

    private func refuseConfig(_ frame: Frame, _ problems: [ConfigProblem]) async throws {
        try await answer(frame, [
            "ok": .bool(false),
            "error": .string(problems.map(\.description).joined(separator: "; ")),
            "problems": JSONValue(encoding: problems),
        ])
    }

    /// The connection test. Users get plain reasons; what a server sent (an excerpt of a reply
    /// that is not a hub's) goes to the admin's log only, and the test is rate-limited, so it
    /// cannot be used to read or scan the servers the admin allowed.
    private func testHub(_ frame: Frame) async throws {
        guard testHubRate.take(now: ContinuousClock.now - started) else {
            return try await answer(frame, ["ok": .bool(false), "reachable": .bool(false), "error": .string("too many connection tests: try again in a few seconds")])
        }
        let saved = try await registry.store.configOrDefaults(for: user)
        let url = frame.object["hubUrl"]?.stringValue ?? saved.hubUrl
        let token = frame.object["hubToken"]?.stringValue ?? saved.hubToken
        var fields: JSONObject = ["ok": .bool(false), "reachable": .bool(false)]
        let made: (client: HubClient, transport: String)
        do {
            made = try await registry.makeClient(for: user, hubUrl: url, token: token)
        } catch {
            fields["error"] = .string("\(error)")
            return try await answer(frame, fields)
        }
        fields["transport"] = .string(made.transport)
        do {
            try await made.client.probe()
            fields["reachable"] = .bool(true)
            fields["tokenAccepted"] = .bool(true)
            let devices = try await made.client.devices()
            fields["lamps"] = .array(devices.map { .object(["path": .string($0.path), "model": .string($0.modelName ?? "")]) })
            let winner = try await made.client.currentPresence()
            fields["winner"] = try JSONValue(encoding: winner)
            fields["ok"] = .bool(!devices.isEmpty)
            if devices.isEmpty { fields["error"] = .string(HubError.noBusylight(url: made.client.displayURL).description) }
        } catch let error as HubError {
            if case .unauthorized = error {
                fields["reachable"] = .bool(true)
                fields["tokenAccepted"] = .bool(false)
            }
            fields["error"] = .string(error.plainDescription)
            if error.plainDescription != error.description {
                logger.notice("connection test: \(error.description)", metadata: ["user": "\(user)"])
            }
        }
        let outcome = fields["ok"]?.boolValue == true ? "ok" : fields["error"]?.stringValue ?? "failed"
        registry.traces.emit(Trace.config("test connection to \(made.client.displayURL): \(outcome)"), for: user)
        try await answer(frame, fields)
    }

    private func testLamp(_ frame: Frame) async throws {
        guard licensed else { return try await answer(frame, ["ok": .bool(false), "error": .string(Self.unlicensedText)]) }
        let config = try await registry.store.configOrDefaults(for: user)
        let state = LampState(rawValue: frame.object["state"]?.stringValue ?? "") ?? .busy
        var appearance = config.appearance(state)
        if let hex = frame.object["color"]?.stringValue {
            guard let color = LampColor(hex: hex) else {
                return try await answer(frame, ["ok": .bool(false), "error": .string("color \"\(hex)\" is not #RRGGBB")])
            }
            appearance.color = color
        }
        if let effect = frame.object["effect"]?.stringValue {
            guard let parsed = LampEffect(rawValue: effect) else {
                return try await answer(frame, ["ok": .bool(false), "error": .string("effect must be solid, blink, pulse or off")])
            }
            appearance.effect = parsed
        }
        let seconds = min(max(frame.object["seconds"]?.intValue ?? 5, 1), 30)
        let client: HubClient
        do {
            client = try await registry.makeClient(for: user, hubUrl: config.hubUrl, token: config.hubToken).client
            try await client.show(state, appearance)
        } catch {
            return try await answer(frame, ["ok": .bool(false), "error": .string("\(error)")])
        }
        registry.traces.emit(Trace.config("test lamp: \(state.rawValue) for \(seconds) s"), for: user)
        try await answer(frame, ["ok": .bool(true)])
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
        try await answer(frame, ["status": JSONValue(encoding: session.status)])
    }

    private func subscribeStatus(_ frame: Frame) async throws {
        let session = try await registry.session(for: user)
        try await answer(frame, [:])
        statusWatch?.cancel()
        let connection = self.connection
        let src = frame.src
        let updates = await session.statusUpdates()
        statusWatch = Task {
            for await status in updates {
                guard let value = try? JSONValue(encoding: status) else { continue }
                do {
                    try await connection.send(Frame(mt: "StatusUpdate", src: src, fields: ["status": value]))
                } catch {
                    return
                }
            }
        }
    }

    // MARK: hidden app

    /// A call reported by the phone app through `com.innovaphone.phoneinfo` (for PBXs where the
    /// service has no RCC).
    private func phoneCall(_ frame: Frame) async throws {
        guard let event = frame.object["event"]?.stringValue, let call = frame.object["call"]?.objectValue,
              let reported = PhoneInfo.CallEvent(event: event, call: call)
        else {
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
        if frame.src != nil { try await answer(frame, ["ok": .bool(true)]) }
    }

    public func relay(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        var fields: JSONObject = ["method": .string(request.method.rawValue), "url": .string(request.url)]
        if let body = request.body { fields["body"] = .string(String(decoding: body, as: UTF8.self)) }
        if let token = request.token { fields["token"] = .string(token) }
        let answer = try await connection.request(Frame(mt: "HubRelayRequest", fields: fields), expecting: "HubRelayResult", timeout: Self.relayTimeout)
        if let error = answer.object["error"]?.stringValue { throw HubRelayError.fetchFailed(error) }
        guard let status = answer.object["status"]?.intValue else { throw HubRelayError.fetchFailed("the relay answered without a status") }
        return HubHTTPResponse(status: status, body: Data((answer.object["body"]?.stringValue ?? "").utf8))
    }

    // MARK: answering

    static let unlicensedText = "no licence \(AppNames.licence) is assigned to this user: the administrator assigns it at the user object"

    private func send(_ frame: Frame) async throws {
        try await connection.send(frame)
    }

    private func answer(_ frame: Frame, _ fields: JSONObject) async throws {
        try await send(Frame(mt: frame.mt + "Result", src: frame.src, fields: fields))
    }

    private func refuse(_ frame: Frame, _ error: String) async throws {
        try await answer(frame, ["ok": .bool(false), "error": .string(error)])
    }
}
