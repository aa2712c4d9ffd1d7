import AppWebsocket
import Logging

/// A PBX that speaks AppWebsocket to a service, for tests and the demo.
///
/// It connects as a PBX App object does (flow B: login with the instance password, `PbxInfo`,
/// `AppInfo`), holds users, answers RCC, PbxApi, PbxImpersonation and PbxTableUsers, emits RCC
/// `CallInfo` for scripted calls, keeps presence and alien calls, and brokers myApps logins
/// (flow C) with ``appLogin(user:app:challenge:)``. Everything it sees is recorded in
/// ``state``; ``waitUntil(timeout:_:)`` waits for a condition on it.
///
/// ```swift
/// let pbx = PBXSimulator(configuration: .init(serviceURL: "ws://127.0.0.1:8080/", password: "secret"), users: [alice])
/// await pbx.start()
/// try await pbx.waitUntil { $0.appInfoResult != nil }
/// let call = try await pbx.startIncomingCall(to: "alice", from: "0301234")
/// ```
public actor PBXSimulator {
    public private(set) var configuration: PBXSimulatorConfiguration
    /// What the PBX knows and saw.
    public private(set) var state = PBXSimulatorState()

    private let logger: Logger
    private let onFrame: (@Sendable (PBXSimulatorState.ObservedFrame) -> Void)?
    private var connection: AppWebsocketConnection?
    private var connectionTask: Task<Void, Never>?
    /// Set by ``disconnect()``; a connection that opens afterwards is closed at once.
    private var disconnectRequested = false
    private var waiters: [UInt64: Waiter] = [:]
    private var nextWaiter: UInt64 = 0
    private let connectionEvents: AsyncStream<(ConnectionEvent, ContinuousClock.Instant)>
    private nonisolated let connectionEventSink: AsyncStream<(ConnectionEvent, ContinuousClock.Instant)>.Continuation
    private var eventRecorder: Task<Void, Never>?

    // Per-connection PBX state, forgotten when the connection drops.
    var rccInitializeSrc: String?
    var monitors = RCCMonitors()
    /// The paced announcement of the users after RCC `Initialize` (``PBXSimulatorConfiguration/initializePace``).
    var announcing: Task<Void, Never>?
    var nextHandle = 1
    var presenceSubscriptions: [String: [String?]] = [:]
    var impersonations: [String: String] = [:]
    var replicationSrc: String?
    var replicationColumns: [String] = []
    var replicationQueue: [SimulatedUser] = []
    var replicationDone = false

    // PBX-wide counters.
    var nextNoise = 1
    var nextCallID = 1
    var nextAlienCallID = 1
    var usn = 1
    /// `UserInitialize`s left unanswered, by user (``leaveUnanswered(userInitializesOf:count:)``).
    var unansweredUserInitializes: [String: Int] = [:]

    private struct Waiter {
        let condition: @Sendable (PBXSimulatorState) -> Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// - Parameter onFrame: sees each frame between the PBX and the service as it passes.
    public init(
        configuration: PBXSimulatorConfiguration, users: [SimulatedUser] = [], logger: Logger = Logger(label: "pbx-sim"),
        onFrame: (@Sendable (PBXSimulatorState.ObservedFrame) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        self.onFrame = onFrame
        (self.connectionEvents, self.connectionEventSink) = AsyncStream.makeStream()
        for user in users {
            state.users[user.sip] = user
            state.presence[user.sip] = SimulatedUser.initialPresence
        }
    }

    /// The App object the PBX connects with.
    public var mainAppObject: PBXSimulatorConfiguration.AppObject {
        configuration.appObjects.first ?? PBXSimulatorConfiguration.AppObject(sip: "app", dn: "App", guid: "", app: "app", url: "")
    }

    // MARK: connection

    /// Connects to the service in the background; watch ``state`` for the login and `AppInfo`.
    public func start() {
        guard connectionTask == nil else { return }
        disconnectRequested = false
        if eventRecorder == nil {
            eventRecorder = Task { [connectionEvents] in
                for await (event, time) in connectionEvents { self.recordConnectionEvent(event, at: time) }
            }
        }
        record {
            $0.connections += 1
            $0.loginResult = nil
            $0.appInfoResult = nil
        }
        connectionTask = Task { [configuration, logger] in
            let failure: String?
            do {
                try await AppWebsocketConnection.connect(
                    to: configuration.serviceURL,
                    configuration: .init(requestTimeout: configuration.requestTimeout, observer: { event in self.observe(event) }),
                    logger: logger
                ) { connection in
                    try await self.serve(connection)
                }
                failure = nil
            } catch {
                failure = "\(error)"
            }
            self.connectionEnded(failure)
        }
    }

    /// Drops the connection, as a PBX restart would; the PBX forgets every subscription.
    public func disconnect() async {
        disconnectRequested = true
        await connection?.close(CloseReason(code: 1001, text: "PBX restart"))
        await connectionTask?.value
    }

    /// Connects to `serviceURL` from now on (a PBX whose App object URL a reverse proxy now
    /// routes to another process), in the background like ``start()``.
    public func connect(to serviceURL: String) async {
        await disconnect()
        configuration.serviceURL = serviceURL
        start()
    }

    /// Drops the connection and connects again.
    public func restart() async {
        await disconnect()
        start()
    }

    /// The login flow B, then `PbxInfo` and `AppInfo`.
    private func serve(_ connection: AppWebsocketConnection) async throws {
        attach(connection)
        if disconnectRequested { return await connection.close(CloseReason(code: 1001, text: "PBX restart")) }
        await connection.setHandler(api: RCC.api) { frame, connection in await self.handleRCC(frame, on: connection) }
        await connection.setHandler(api: PbxApi.api) { frame, connection in await self.handlePbxApi(frame, on: connection) }
        await connection.setHandler(api: PbxImpersonation.api) { frame, connection in await self.handleImpersonation(frame, on: connection) }
        await connection.setHandler(api: PbxTableUsers.api) { frame, connection in await self.handleTableUsers(frame, on: connection) }
        let object = mainAppObject
        let info = flowBInfo
        let password = configuration.password
        let domain = configuration.domain
        // As a 13r3 PBX does: no `src`, the captured member order, the App object's own guid.
        let result = try await connection.login(keyOrder: AppLogin.pbxKeyOrder) { challenge in
            LoginDigest.sign(app: object.app, domain: domain, sip: object.sip, guid: object.guid, dn: object.dn, info: info, challenge: challenge, password: password)
        }
        record { $0.loginResult = result }
        guard result.ok else {
            record { $0.events.append(.loginRefused(errorText: result.errorText)) }
            return
        }
        await reply(
            Frame(PbxInfo(domain: domain, pbx: configuration.pbxName, pbxDns: configuration.pbxDns, apis: configuration.grantedAPIs,
                          version: configuration.version, build: configuration.build)),
            on: connection)
        let answer = try await connection.request(AppInfo(app: object.app))
        let appInfo = try answer.decode(AppInfoResult.self)
        record { $0.appInfoResult = appInfo }
    }

    /// The `info` the PBX puts in its own login (flow B), as captured from a 13r3 PBX:
    /// `appobj, appdn, appurl, pbx, cn, unlicensed|testmode, apps` (`unlicensed:true` for the
    /// object itself unless in test mode; `lics` only when configured, as no capture has it).
    var flowBInfo: JSONObject {
        let object = mainAppObject
        var info: JSONObject = [
            "appobj": .string(object.sip), "appdn": .string(object.dn), "appurl": .string(object.url), "pbx": .string(configuration.pbxName),
            "cn": .string(object.dn),
        ]
        if configuration.testMode { info["testmode"] = true } else { info["unlicensed"] = true }
        info["lics"] = configuration.lics.map(JSONValue.int)
        info["apps"] = .array(configuration.appObjects.filter { $0 != object }.map { ["name": .string($0.sip), "dn": .string($0.dn)] })
        return info
    }

    /// Sends a frame on `connection`, with the undocumented members a real PBX adds
    /// (``PBXSimulatorConfiguration/undocumentedFields``); a failed send is not the PBX's problem.
    func reply(_ frame: Frame, on connection: AppWebsocketConnection) async {
        do {
            try await connection.send(decorated(frame))
        } catch {
            logger.debug("send to service failed", metadata: ["error": "\(error)"])
        }
    }

    /// `frame` with members nobody documents, one of each JSON type, after the documented ones.
    func decorated(_ frame: Frame) -> Frame {
        guard configuration.undocumentedFields else { return frame }
        var fields = frame.object
        fields["x-pbx-seq"] = .int(nextNoise)
        fields["x-pbx-node"] = "root"
        fields["x-pbx-flags"] = [1, "two", true, nil, [:]]
        fields["x-pbx-ext"] = ["hw": "", "loc": .string(configuration.pbxName), "n": nil]
        nextNoise += 1
        return Frame(mt: frame.mt, api: frame.api, src: frame.src, fields: fields)
    }

    private func attach(_ connection: AppWebsocketConnection) {
        self.connection = connection
        record { $0.connected = true }
    }

    private func connectionEnded(_ failure: String?) {
        connection = nil
        connectionTask = nil
        rccInitializeSrc = nil
        announcing?.cancel()
        announcing = nil
        monitors = RCCMonitors()
        presenceSubscriptions = [:]
        impersonations = [:]
        replicationSrc = nil
        record {
            $0.connected = false
            if let failure { $0.lastError = failure }
            $0.events.append(.disconnected(reason: failure ?? "closed"))
        }
    }

    /// Connection events arrive synchronously from the connection; a stream keeps their order,
    /// and the instant is taken here, before the stream's hop.
    private nonisolated func observe(_ event: ConnectionEvent) {
        connectionEventSink.yield((event, .now))
    }

    private func recordConnectionEvent(_ event: ConnectionEvent, at time: ContinuousClock.Instant) {
        let observed: PBXSimulatorState.ObservedFrame
        switch event {
        case .received(let frame): observed = .init(direction: .fromService, frame: frame, time: time)
        case .sent(let frame): observed = .init(direction: .toService, frame: frame, time: time)
        case .refused, .loginRefused, .closed: return
        }
        onFrame?(observed)
        guard configuration.recordsFrames else { return }
        record { $0.frames.append(observed) }
    }

    /// Sends any frame to the service, as a PBX of another release might (messages or APIs the
    /// service does not know); nothing is sent while not connected.
    public func send(_ frame: Frame) async {
        await sendToService(frame)
    }

    /// Sends to the service if connected; a PBX with no service connection just keeps state.
    func sendToService(_ frame: Frame) async {
        guard let connection else { return }
        await reply(frame, on: connection)
    }

    // MARK: observation

    /// Changes the state and wakes the waiters whose condition now holds.
    func record(_ change: (inout PBXSimulatorState) -> Void) {
        change(&state)
        for (id, waiter) in waiters where waiter.condition(state) {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }

    /// Waits until `condition` holds for ``state``, at most `timeout`.
    ///
    /// - Throws: ``PBXSimulatorError/timeout(_:)`` with a summary of the state when it never held.
    public func waitUntil(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable (PBXSimulatorState) -> Bool) async throws {
        if condition(state) { return }
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expireWaiter(id)
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { continuation in
            waiters[id] = Waiter(condition: condition, continuation: continuation)
        }
    }

    private func expireWaiter(_ id: UInt64) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        let summary = "connected: \(state.connected), login ok: \(state.loginResult?.ok.description ?? "none"), "
            + "frames from service: \(state.framesFromService.map(\.mt)), events: \(state.events)"
        waiter.continuation.resume(throwing: PBXSimulatorError.timeout(summary))
    }
}
