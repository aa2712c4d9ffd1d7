/// One AppWebsocket connection, client or server side, over any ``AppWebsocketTransport``.
///
/// ``run()`` reads frames until the socket closes and routes each one: `KeepAlive` is dropped,
/// the server side answers the login handshake itself (see ``ServerLogin``), a frame whose
/// `src` answers a pending ``request(_:api:expecting:timeout:)`` resumes it, and everything
/// else goes to the handler registered for its `api` (`PbxApi.0` falls back to `PbxApi`), then
/// to the default handler. Handlers run one after another, in arrival order, on a queue apart
/// from the reader, so a handler may itself await a request on this connection.
///
/// Malformed frames never end the connection: the peer gets `{"mt":"Error","errorText":…}`.
/// A frame over 65535 characters is refused the same way and the socket is closed (1009).
///
/// ```swift
/// let connection = AppWebsocketConnection(transport: transport, role: .client)
/// async let done: Void = connection.run()
/// let result = try await connection.login { challenge in
///     LoginDigest.sign(app: "kuando", domain: "", sip: "", guid: "", dn: "", info: nil, challenge: challenge, password: password)
/// }
/// let answer = try await connection.request(RCC.Initialize())
/// ```
public actor AppWebsocketConnection {
    /// Receives a routed frame; errors it throws are dropped (the handler owns its error reporting).
    public typealias Handler = @Sendable (Frame, AppWebsocketConnection) async throws -> Void

    /// Which side of the handshake this connection plays.
    public enum Role: Sendable {
        /// Asks for the challenge and logs in (a PBX connecting to a service, a client).
        case client
        /// Answers the handshake (a service).
        case server(ServerLogin)
    }

    public struct Configuration: Sendable {
        /// How long a request waits for its answer unless told otherwise.
        public var requestTimeout: Duration
        /// Sees every frame sent and received, refusals and the close.
        public var observer: (@Sendable (ConnectionEvent) -> Void)?

        public init(requestTimeout: Duration = .seconds(30), observer: (@Sendable (ConnectionEvent) -> Void)? = nil) {
            self.requestTimeout = requestTimeout
            self.observer = observer
        }
    }

    private struct PendingRequest {
        var expected: String
        var matchesWithoutSrc: Bool
        var continuation: CheckedContinuation<Frame, any Error>?
        var outcome: Result<Frame, any Error>?
        var timer: Task<Void, Never>?
    }

    private let transport: any AppWebsocketTransport
    private let role: Role
    private let configuration: Configuration
    private var handlers: [String: Handler] = [:]
    private var defaultHandler: Handler?
    private var pending: [String: PendingRequest] = [:]
    private var nextSrc = 1
    private var issuedChallenge: String?
    private var lastSent = ContinuousClock.now
    private var isClosed = false
    private let jobs: AsyncStream<@Sendable () async -> Void>
    private let jobSink: AsyncStream<@Sendable () async -> Void>.Continuation

    /// The accepted login: the peer's on the server side, our own on the client side.
    public private(set) var login: AppLogin?
    /// Server side: the session key of the accepted login, derived from the matching password.
    public private(set) var sessionKey: SessionKey?

    public init(transport: some AppWebsocketTransport, role: Role, configuration: Configuration = Configuration()) {
        self.transport = transport
        self.role = role
        self.configuration = configuration
        (self.jobs, self.jobSink) = AsyncStream.makeStream()
    }

    /// Routes frames with this `api` (nil: frames without `api`) to `handler`, replacing any before.
    public func setHandler(api: String?, _ handler: @escaping Handler) {
        handlers[api ?? ""] = handler
    }

    /// Receives frames no other route took.
    public func setDefaultHandler(_ handler: @escaping Handler) {
        defaultHandler = handler
    }

    /// Whether the connection has closed.
    public var closed: Bool { isClosed }

    /// Reads and routes frames until the socket closes, then fails pending requests with
    /// ``ConnectionError/closed`` and waits for queued handlers to finish.
    ///
    /// - Throws: the transport's error when the socket broke (rethrow it from a websocket
    ///   handler so the socket closes with the right code); returns normally on a clean close.
    public func run() async throws {
        let handlerQueue = Task { [jobs] in
            for await job in jobs { await job() }
        }
        var failure: (any Error)?
        do {
            try await readFrames(from: transport)
        } catch {
            failure = error
        }
        if !isClosed {
            isClosed = true
            configuration.observer?(.closed(.normal))
        }
        failPending(with: ConnectionError.closed)
        jobSink.finish()
        await handlerQueue.value
        if let failure { throw failure }
    }

    private func readFrames<Transport: AppWebsocketTransport>(from transport: Transport) async throws {
        for try await inbound in transport.inbound {
            switch inbound {
            case .binary:
                await refuse(.binaryFrame)
            case .text(let text):
                do {
                    let frame = try Frame(parsing: text)
                    configuration.observer?(.received(frame))
                    await route(frame)
                } catch {
                    await refuse(error)
                }
            }
            if isClosed { return }
        }
    }

    /// Answers a malformed frame with `{"mt":"Error","errorText":…}`; closes on an oversized one.
    private func refuse(_ error: FrameError) async {
        configuration.observer?(.refused(error))
        try? await send(Frame(mt: "Error", fields: ["errorText": .string(error.description)]))
        if case .tooLarge = error { await close(.tooLarge(error.description)) }
    }

    private func route(_ frame: Frame) async {
        if frame.mt == KeepAlive.messageType, frame.api == nil { return }
        if frame.api == nil, case .server(let policy) = role, await answerHandshake(frame, policy: policy) { return }
        if resolvePending(with: frame) { return }
        let baseAPI = frame.api.map { String($0.prefix { $0 != "." }) }
        guard let handler = handlers[frame.api ?? ""] ?? baseAPI.flatMap({ handlers[$0] }) ?? defaultHandler else { return }
        enqueue { connection in try await handler(frame, connection) }
    }

    private func enqueue(_ work: @escaping @Sendable (AppWebsocketConnection) async throws -> Void) {
        jobSink.yield { [self] in try? await work(self) }
    }

    // MARK: sending

    /// Sends a frame.
    ///
    /// - Throws: ``FrameError/tooLarge(characters:limit:)`` for a frame the peer would refuse,
    ///   ``ConnectionError/closed`` after the close, or the transport's error.
    public func send(_ frame: Frame) async throws {
        guard !isClosed else { throw ConnectionError.closed }
        let characters = frame.text.utf16.count
        guard characters <= Frame.maximumCharacters else { throw FrameError.tooLarge(characters: characters, limit: Frame.maximumCharacters) }
        lastSent = .now
        try await transport.send(frame.text)
        configuration.observer?(.sent(frame))
    }

    /// Sends a typed message.
    public func send<Message: AppMessage>(_ message: Message, api: String? = Message.api, src: String? = nil) async throws {
        try await send(Frame(message, api: api, src: src))
    }

    /// Sends a request with a fresh `src` and returns the answer with that `src` whose `mt` is
    /// `expecting` (by default the request's `mt` + `Result`). Frames with the same `src` that
    /// arrive before it (`UserInfo` during `Initialize`) go to the handlers.
    ///
    /// - Parameter withoutSrc: send the request without `src` and take the first answer of the
    ///   expected type that carries none (the login handshake, where peers send no `src`).
    /// - Throws: ``ConnectionError/timeout(waitingFor:after:)``, ``ConnectionError/closed``.
    public func request(
        _ frame: Frame, expecting: String? = nil, timeout: Duration? = nil, withoutSrc: Bool = false
    ) async throws -> Frame {
        guard !isClosed else { throw ConnectionError.closed }
        let src = String(nextSrc)
        nextSrc += 1
        let expected = expecting ?? frame.mt + "Result"
        pending[src] = PendingRequest(expected: expected, matchesWithoutSrc: withoutSrc)
        do {
            try await send(Frame(mt: frame.mt, api: frame.api, src: withoutSrc ? nil : src, fields: frame.object))
        } catch {
            pending[src] = nil
            throw error
        }
        let limit = timeout ?? configuration.requestTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Frame, any Error>) in
                guard var entry = pending[src] else {
                    continuation.resume(throwing: ConnectionError.closed)
                    return
                }
                if let outcome = entry.outcome {
                    pending[src] = nil
                    continuation.resume(with: outcome)
                    return
                }
                entry.continuation = continuation
                entry.timer = Task { [weak self] in
                    try? await Task.sleep(for: limit)
                    await self?.finish(src, with: .failure(ConnectionError.timeout(waitingFor: expected, after: limit)))
                }
                pending[src] = entry
            }
        } onCancel: {
            Task { await self.finish(src, with: .failure(CancellationError())) }
        }
    }

    /// Sends a typed request; see ``request(_:expecting:timeout:withoutSrc:)``.
    public func request<Message: AppMessage>(
        _ message: Message, api: String? = Message.api, expecting: String? = nil, timeout: Duration? = nil
    ) async throws -> Frame {
        try await request(Frame(message, api: api), expecting: expecting, timeout: timeout)
    }

    private func resolvePending(with frame: Frame) -> Bool {
        let key: String?
        if let src = frame.src, pending[src]?.expected == frame.mt {
            key = src
        } else {
            // A request sent without `src` takes the first answer of its type, whatever `src` it has.
            key = pending.first { $0.value.matchesWithoutSrc && $0.value.expected == frame.mt && $0.value.outcome == nil }?.key
        }
        guard let key else { return false }
        finish(key, with: .success(frame))
        return true
    }

    private func finish(_ src: String, with outcome: Result<Frame, any Error>) {
        guard var entry = pending[src], entry.outcome == nil else { return }
        entry.timer?.cancel()
        if let continuation = entry.continuation {
            pending[src] = nil
            continuation.resume(with: outcome)
        } else {
            entry.outcome = outcome
            pending[src] = entry
        }
    }

    private func failPending(with error: any Error) {
        for src in pending.keys { finish(src, with: .failure(error)) }
    }

    /// Closes the socket; pending requests fail with ``ConnectionError/closed``.
    public func close(_ reason: CloseReason = .normal) async {
        guard !isClosed else { return }
        isClosed = true
        configuration.observer?(.closed(reason))
        failPending(with: ConnectionError.closed)
        await transport.close(reason)
    }

    // MARK: login state, used by the handshake in AppWebsocketConnection+Login.swift

    func rememberChallenge(_ challenge: String) { issuedChallenge = challenge }

    /// The challenge issued on this connection, which only one login may use.
    func takeChallenge() -> String? {
        defer { issuedChallenge = nil }
        return issuedChallenge
    }

    func acceptServerLogin(_ login: AppLogin, key: SessionKey) {
        self.login = login
        self.sessionKey = key
    }

    func acceptClientLogin(_ login: AppLogin) {
        self.login = login
    }

    func enqueueLoginCallback(_ work: @escaping @Sendable (AppWebsocketConnection) async -> Void) {
        enqueue { connection in await work(connection) }
    }

    func notifyLoginRefused(_ why: String) { configuration.observer?(.loginRefused(why)) }

    /// Sends `KeepAlive` when nothing went out for `interval`, and says when the connection
    /// will next have been idle that long; nil once it closed. The caller keeps the time: the
    /// service keeps all its connections alive from one timer (`KeepAliveSweeper`).
    public func keepAliveIfIdle(_ interval: Duration) async -> ContinuousClock.Instant? {
        guard !isClosed else { return nil }
        if ContinuousClock.now - lastSent >= interval { try? await send(Self.keepAlive) }
        return isClosed ? nil : lastSent + interval
    }

    /// Built once: a service sends it to every idle connection each interval.
    private static let keepAlive = Frame(KeepAlive())
}
