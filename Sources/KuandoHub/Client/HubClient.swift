import Busylight
import Foundation
import KuandoSync
import Logging
import Timing

/// The connector's side of one kuandoHUB: registers its data source, shows and releases its
/// state, reads the hub's winner, and logs out when done.
///
/// Every command first makes sure the data source is registered: after the first contact and
/// after every outage the client sends `RegisterDataSource` (its event types and names are
/// ``LampState/hubEventNames``) and `CreateInitialPriority`, as the manual asks. A hub that does
/// not answer is logged once when it goes away and once when it is back (``HubReachability``);
/// ``connect()`` retries it with ``Backoff``.
///
/// ```swift
/// let client = HubClient(configuration: .init(baseURL: "http://localhost:8989/"), transport: transport)
/// try await client.connect()
/// try await client.show(.ringing, config.lamp[.ringing]!)
/// let winner = try await client.currentPresence()     // winner.sender == "innovaphone myApps"
/// try await client.logout()
/// ```
public actor HubClient {
    public struct Configuration: Sendable {
        /// The hub's base URL, e.g. `http://localhost:8989/`.
        public var baseURL: String
        /// The hub's access token for remote hubs; sent as the `http_token` header, never logged.
        public var token: String?
        /// The data source the connector registers and sends as.
        public var dataSourceName: String

        public init(baseURL: String, token: String? = nil, dataSourceName: String = SyncEngine.defaultDataSourceName) {
            self.baseURL = baseURL
            self.token = token
            self.dataSourceName = dataSourceName
        }
    }

    public nonisolated let configuration: Configuration
    private let transport: any HubTransport
    private let clock: any Clock<Duration>
    private let logger: Logger
    private var link = HubReachability()
    private var backoff: Backoff
    private var registered = false

    /// - Parameters:
    ///   - clock: waits between retries of ``connect()``.
    ///   - backoff: the retry schedule (inject its random source in tests).
    public init(
        configuration: Configuration, transport: any HubTransport, clock: any Clock<Duration> = ContinuousClock(),
        backoff: Backoff = Backoff(), logger: Logger = Logger(label: "kuando.hub-client")
    ) {
        self.configuration = configuration
        self.presenceRequest = Self.httpRequest(HubRequest(.currentPresence), configuration)
        self.transport = transport
        self.clock = clock
        self.backoff = backoff
        self.logger = logger
    }

    /// The hub's URL as messages show it.
    public nonisolated var displayURL: String { HubError.displayURL(configuration.baseURL) }

    /// Whether the hub answered the last request.
    public var linkStatus: HubReachability.Status { link.status }

    /// Registers the data source, retrying while the hub does not answer.
    ///
    /// Returns once the hub took the registration. Waits between tries follow ``Backoff``.
    /// - Throws: ``HubError`` other than unreachable (a wrong token does not heal by waiting),
    ///   or `CancellationError` when the task is cancelled while waiting.
    public func connect() async throws {
        restartRetries()
        while let wait = try await tryRegistering() {
            try await clock.sleep(for: wait)
        }
    }

    /// Starts ``tryRegistering()``'s retry schedule from its first wait.
    public func restartRetries() {
        backoff.reset()
    }

    /// One registration try: nil when the hub took it; when the hub does not answer, the wait
    /// before the next try (``Backoff``, restarted by ``restartRetries()``).
    /// - Throws: ``HubError`` other than unreachable (a wrong token does not heal by waiting).
    public func tryRegistering() async throws -> Duration? {
        do {
            try await register()
            return nil
        } catch let error as HubError where error.isUnreachable {
            return backoff.nextDelay()
        }
    }

    /// Sends `RegisterDataSource` and `CreateInitialPriority` now.
    public func register() async throws {
        let name = configuration.dataSourceName
        let source = HubDataSource(
            name: name, eventTypes: LampState.hubEventNames.mapValues { HubEventTypeNames(eventNames: $0) })
        _ = try await send(HubRequest(.registerDataSource(source)))
        _ = try await send(HubRequest(.createInitialPriority(HubPriorityLine(sender: name))))
        registered = true
    }

    /// Shows `state` on the hub as the connector's data source, looking like `appearance`.
    public func show(_ state: LampState, _ appearance: LampAppearance) async throws {
        try await sendRegistered(Self.request(showing: state, appearance, sender: configuration.dataSourceName))
    }

    /// Withdraws the connector's state (`Off`), so the next source in the priorities shows.
    public func release() async throws {
        try await sendRegistered(HubRequest(.off, sender: configuration.dataSourceName, eventType: "Light", eventName: "Off"))
    }

    /// Clears everything the connector asked for (`Logout`); send it when shutting down.
    public func logout() async throws {
        _ = try await send(HubRequest(.logout, sender: configuration.dataSourceName))
        registered = false
    }

    /// The state that wins the hub's priorities now (sender nil when nothing runs).
    public func currentPresence() async throws -> HubWinner {
        try await runningCommand().winner
    }

    /// The hub's running command, with its action and colour where the reply names them.
    public func runningCommand() async throws -> HubRunningCommand {
        try runningCommand(reply: try await exchange(presenceRequest))
    }

    /// The `currentpresence` request as plain values, made once (it is the one sent every
    /// interval); also for a hidden app that polls the hub on the service's behalf
    /// (``currentPresence(answered:)`` reads what it got).
    public nonisolated let presenceRequest: HubHTTPRequest

    /// The winner in an answer to ``presenceRequest`` that came another way (a hidden app's
    /// poll): the same checks, errors and reachability log lines as ``currentPresence()``.
    /// - Parameter answer: the hub's answer, or why it could not be fetched.
    public func currentPresence(answered answer: Result<HubHTTPResponse, any Error>) throws -> HubWinner {
        try runningCommand(reply: try interpret(answer)).winner
    }

    /// What a hub without a lamp answers, somewhere in its reply.
    private static let noDevice = Data("NO_DEVICE".utf8)

    private func runningCommand(reply body: Data) throws -> HubRunningCommand {
        if body.range(of: Self.noDevice) != nil { throw HubError.noBusylight(url: displayURL) }
        guard let running = HubRunningCommand(reply: body) else {
            throw HubError.badReply(url: displayURL, detail: "currentpresence answered \(Self.excerpt(body))")
        }
        return running
    }

    /// The lamps connected to the hub.
    public func devices() async throws -> [HubDevice] {
        let body = try await send(HubRequest(.busylightDevices))
        guard let devices = HubDevice.devices(reply: body) else {
            throw HubError.badReply(url: displayURL, detail: "busylightdevices answered \(Self.excerpt(body))")
        }
        return devices
    }

    /// `GET /` with no action: succeeds when a kuandoHUB answers 200 (and the token is right, for remote hubs).
    public func probe() async throws {
        _ = try await exchange(HubHTTPRequest(method: .get, baseURL: configuration.baseURL, token: configuration.token))
    }

    /// The command that shows `state` looking like `appearance`: `Light`, `Blink`, `Pulse`, dark
    /// `Light` for the off effect, or `Alert` when the appearance rings.
    public static func request(showing state: LampState, _ appearance: LampAppearance, sender: String) -> HubRequest {
        let percent = appearance.color.percent
        let color = BusylightColor(red: percent.red, green: percent.green, blue: percent.blue)
        let action: HubAction
        if appearance.sound > 0 {
            action = .alert(appearance.effect == .off ? .off : color, sound: appearance.sound, volume: appearance.volume)
        } else {
            switch appearance.effect {
            case .solid: action = .light(color)
            case .blink: action = .blink(color, onTime: appearance.onTime, offTime: appearance.offTime)
            case .pulse: action = .pulse(color)
            case .off: action = .light(.off)
            }
        }
        return HubRequest(action, sender: sender, eventType: state.hubEventType, eventName: state.hubEventName)
    }

    private func sendRegistered(_ request: HubRequest) async throws {
        if !registered { try await register() }
        _ = try await send(request)
    }

    /// Sends `request` the way real clients do: GET for the read-only queries, POST for the rest.
    private func send(_ request: HubRequest) async throws -> Data {
        try await exchange(Self.httpRequest(request, configuration))
    }

    private static func httpRequest(_ request: HubRequest, _ configuration: Configuration) -> HubHTTPRequest {
        switch request.action {
        case .currentPresence, .busylightDevices:
            HubHTTPRequest(method: .get, baseURL: configuration.baseURL, query: request.getQuery, token: configuration.token)
        default:
            HubHTTPRequest(method: .post, baseURL: configuration.baseURL, body: request.postBody, token: configuration.token)
        }
    }

    private func exchange(_ request: HubHTTPRequest) async throws -> Data {
        let answer: Result<HubHTTPResponse, any Error>
        do {
            answer = .success(try await transport.send(request))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            answer = .failure(error)
        }
        return try interpret(answer)
    }

    /// The body of a hub's answer, or the ``HubError`` it means; keeps the reachability log.
    private func interpret(_ answer: Result<HubHTTPResponse, any Error>) throws -> Data {
        let response: HubHTTPResponse
        switch answer {
        case .success(let answered):
            response = answered
        case .failure(let error):
            let failure = HubError.unreachable(url: displayURL, reason: Self.shortReason(error))
            registered = false
            if case .becameUnreachable(let reason)? = link.failed(failure) {
                logger.warning("\(Trace.connector(reason.description))")
            }
            throw failure
        }
        if case .becameReachable(let failed)? = link.answered() {
            if failed > 0 {
                logger.notice("\(Trace.connector("hub at \(displayURL) answers again after \(failed) failed attempts"))")
            } else {
                logger.info("\(Trace.connector("hub at \(displayURL) answers"))")
            }
        }
        switch response.status {
        case 200..<300: return response.body
        case 401: throw HubError.unauthorized(url: displayURL)
        case 404: throw HubError.noBusylight(url: displayURL)
        case 400:
            throw HubError.rejected(url: displayURL, message: HubReply.errorMessage(in: response.body) ?? Self.excerpt(response.body))
        default:
            throw HubError.badReply(url: displayURL, detail: "HTTP status \(response.status)")
        }
    }

    private static func shortReason(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }

    private static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(120), as: UTF8.self)
        return text.isEmpty ? "an empty body" : "\"\(text)\(body.count > 120 ? "…" : "")\""
    }
}
