import AppWebsocket
import Timing
import Logging
import Synchronization
import WSCore

/// The service's websocket, the directory of the apps' pages: every connection logs in with
/// AppWebsocket and then is the PBX (flow B) or an app of a user (flow C).
///
/// Before a login the endpoint is strict: a peer address with too many failed logins is
/// refused at once, with an `Error` frame and a close saying why (``refusal(for:)``,
/// ``PeerLoginLimiter``), and a connection that has not logged in within
/// ``Limits/loginDeadline`` is closed, so half-open and trickling peers hold nothing for long.
public struct ConnectorEndpoint: Sendable {
    /// What a peer gets before it has proved who it is.
    public struct Limits: Sendable {
        /// How long a new connection may take to log in (AppChallenge, AppLogin).
        public var loginDeadline: Duration
        /// How long a new TCP connection may take to send its first HTTP request head.
        public var requestHeadDeadline: Duration
        /// Failed logins allowed per peer address.
        public var loginThrottle: LoginThrottle
        /// `AppChallenge`s one connection may ask for (each is remembered until it expires).
        public var challengesPerConnection: Int
        /// Open websockets per peer address (a NAT or proxy address carries two per user).
        public var connectionsPerAddress: Int
        /// Websockets per peer address that have not logged in yet.
        public var pendingLoginsPerAddress: Int
        /// How long the service waits for the answer to a request it sends on a connection (an
        /// RCC `UserInitialize` to the PBX, say).
        public var requestTimeout: Duration
        /// The longest a connection carries nothing from the service: then it gets `KeepAlive`,
        /// so a proxy in front (nginx closes after 60 s by default) keeps it open
        /// (``KeepAliveSweeper``).
        public var keepAliveInterval: Duration

        public init(
            loginDeadline: Duration = .seconds(15), requestHeadDeadline: Duration = .seconds(10), loginThrottle: LoginThrottle = LoginThrottle(),
            challengesPerConnection: Int = 3, connectionsPerAddress: Int = 2_000, pendingLoginsPerAddress: Int = 32,
            requestTimeout: Duration = .seconds(10), keepAliveInterval: Duration = .seconds(30)
        ) {
            self.loginDeadline = loginDeadline
            self.requestHeadDeadline = requestHeadDeadline
            self.loginThrottle = loginThrottle
            self.challengesPerConnection = challengesPerConnection
            self.connectionsPerAddress = connectionsPerAddress
            self.pendingLoginsPerAddress = pendingLoginsPerAddress
            self.requestTimeout = requestTimeout
            self.keepAliveInterval = keepAliveInterval
        }
    }

    public let challenges: ChallengeBook
    public let password: String
    /// The instance domain, sent back in `AppLoginResult`.
    public let domain: String?
    public let registry: SessionRegistry
    public let limits: Limits
    public let logins: PeerLoginLimiter
    public let connections: PeerConnectionCounter
    /// The connections open now, so the instance can close them when it stops being served here.
    private let open = OpenConnections()
    private let logger: Logger

    public init(
        password: String, domain: String?, registry: SessionRegistry, challenges: ChallengeBook = ChallengeBook(), limits: Limits = Limits(),
        logger: Logger
    ) {
        self.password = password
        self.domain = domain
        self.registry = registry
        self.challenges = challenges
        self.limits = limits
        self.logins = PeerLoginLimiter(throttle: limits.loginThrottle, logger: logger)
        self.connections = PeerConnectionCounter(connectionsPerAddress: limits.connectionsPerAddress, pendingLoginsPerAddress: limits.pendingLoginsPerAddress)
        self.logger = logger
    }

    /// Why a websocket from `peerAddress` is refused before its login, nil when it may log in:
    /// an address with too many failed logins waits until it has an attempt again.
    public func refusal(for peerAddress: String?) -> String? {
        guard let peerAddress, case .refused(let retryAfter) = logins.admit(peerAddress) else { return nil }
        return "too many failed logins from \(peerAddress): try again in \(max(retryAfter.components.seconds, 1)) s"
    }

    /// Refuses a peer before its login: answers its first frame (its AppChallenge) with the
    /// reason, so the reason is not sent before the peer listens; a peer that sends nothing is
    /// closed at the login deadline.
    private func refuse(_ transport: WebSocketTransport, _ reason: String) async {
        let deadline = limits.loginDeadline
        _ = try? await withTimeout(deadline) {
            var frames = transport.inbound.makeAsyncIterator()
            _ = try await frames.next()
        }
        try? await transport.send(Frame(mt: "Error", fields: ["errorText": .string(reason)]).text)
        await transport.close(.loginRefused(reason))
    }

    /// Serves one websocket until it closes.
    /// - Parameter peerAddress: the peer's IP address; failed logins are counted against it.
    public func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, peerAddress: String? = nil) async throws {
        let transport = WebSocketTransport(inbound: inbound, outbound: outbound)
        if let refusal = refusal(for: peerAddress) {
            return await refuse(transport, refusal)
        }
        if let peerAddress, let refusal = connections.open(peerAddress) {
            logger.warning("connection refused", metadata: ["peer": "\(peerAddress)", "reason": "\(refusal)"])
            return await refuse(transport, refusal.description)
        }
        let counter = connections
        let peer = PeerSlot(registry: registry, domain: domain, logger: logger) {
            if let peerAddress { counter.loggedIn(peerAddress) }
        }
        let login = ServerLogin(challenges: challenges, passwords: [password], domain: domain, requiresInfo: true) { login, connection in
            await peer.accept(login, on: connection)
        }
        let logins = self.logins
        let connection = AppWebsocketConnection(
            transport: ChallengeLimitedTransport(base: transport, limit: limits.challengesPerConnection), role: .server(login),
            configuration: .init(requestTimeout: limits.requestTimeout, observer: { event in
                if case .loginRefused = event, let peerAddress { logins.failed(peerAddress) }
            })
        )
        await connection.setDefaultHandler { frame, _ in await peer.handle(frame) }
        let opened = open.insert(connection)
        KeepAliveSweeper.shared.add(connection, every: limits.keepAliveInterval)
        let deadline = limits.loginDeadline
        let loginWatch = Task {
            guard (try? await Task.sleep(for: deadline)) != nil, await !peer.loggedIn else { return }
            await connection.close(.loginRefused("no login within \(deadline.components.seconds) s: send AppChallenge and AppLogin right after connecting"))
        }
        defer {
            open.remove(opened)
            KeepAliveSweeper.shared.remove(connection)
            loginWatch.cancel()
            Task {
                let loggedIn = await peer.loggedIn
                if let peerAddress { counter.closed(peerAddress, loggedIn: loggedIn) }
                await peer.closed()
            }
        }
        try await connection.run()
    }
}

extension ConnectorEndpoint {
    /// Closes every connection with `reason`: the instance is no longer served here.
    func closeAll(reason: String) async {
        for connection in open.all {
            await connection.close(CloseReason(code: 1012, text: reason))
        }
    }
}

/// The connections an endpoint has open.
final class OpenConnections: Sendable {
    private let connections = Mutex<[ObjectIdentifier: AppWebsocketConnection]>([:])

    func insert(_ connection: AppWebsocketConnection) -> ObjectIdentifier {
        let id = ObjectIdentifier(connection)
        connections.withLock { $0[id] = connection }
        return id
    }

    func remove(_ id: ObjectIdentifier) {
        _ = connections.withLock { $0.removeValue(forKey: id) }
    }

    var all: [AppWebsocketConnection] { connections.withLock { Array($0.values) } }
}

/// What one connection turned out to be after its login, and where its frames go.
///
/// An App object that logs in as itself (``AppLogin/isAppObjectLogin``) is the PBX's connection
/// once `PbxInfo` arrives on it, as innovaphone's own services decide; until then its frames are
/// ignored. Every other login is a user's app, whatever its `info` holds (every login myApps
/// brokers carries `info.pbx`), and a `PbxInfo` on it is refused and changes nothing.
actor PeerSlot {
    private enum Peer {
        case none
        /// An App object logged in as itself; it becomes the PBX when `PbxInfo` arrives.
        case appObject(AppLogin)
        /// The PBX's connection for the Connector's App object: RCC, PbxApi.
        case pbx(PBXLink)
        /// The PBX's connection for the config App object: only `AppInfo`.
        case pbxConfigObject
        case app(AppPeer)
    }

    private let registry: SessionRegistry
    /// The instance's domain; nil takes logins of any domain.
    private let domain: String?
    private let logger: Logger
    private let onLogin: @Sendable () -> Void
    private var peer = Peer.none
    private var connection: AppWebsocketConnection?

    init(registry: SessionRegistry, domain: String?, logger: Logger, onLogin: @escaping @Sendable () -> Void = {}) {
        self.registry = registry
        self.domain = domain
        self.logger = logger
        self.onLogin = onLogin
    }

    /// Whether the connection's login was accepted.
    var loggedIn: Bool { connection != nil }

    func accept(_ login: AppLogin, on connection: AppWebsocketConnection) async {
        self.connection = connection
        onLogin()
        guard login.app == AppNames.hidden || login.app == AppNames.config else {
            logger.warning("login for an app this service does not have", metadata: ["app": "\(login.app)"])
            await connection.close(.loginRefused("this service serves \(AppNames.hidden) and \(AppNames.config), not \(login.app)"))
            return
        }
        if let domain, Instance.key(login.domain) != Instance.key(domain) {
            logger.warning(
                "login of another PBX domain refused: each domain has an instance and App object URLs of its own",
                metadata: ["login domain": "\(login.domain)", "app": "\(login.app)"])
            await connection.close(.loginRefused("this is the instance of \(domain), not of \(login.domain): use the App object URLs of your own domain's instance"))
            return
        }
        if login.isAppObjectLogin {
            peer = .appObject(login)
            logger.info("App object logged in, waiting for PbxInfo", metadata: ["app": "\(login.app)", "object": "\(login.sip)", "domain": "\(login.domain)"])
            return
        }
        let user = UserKey(domain: login.domain, guid: login.guid, sip: login.sip)
        let licensed = !login.isUnlicensed || login.isTestMode
        let app = AppPeer(
            connection: connection, user: user, kind: login.app == AppNames.hidden ? .hidden : .config, licensed: licensed,
            registry: registry, logger: logger)
        peer = .app(app)
        await app.start()
    }

    func handle(_ frame: Frame) async {
        if frame.api == nil, frame.mt == AppInfo.messageType, loggedIn {
            return await answerAppInfo(frame)
        }
        if frame.api == nil, frame.mt == PbxInfo.messageType {
            return await pbxInfo(frame)
        }
        switch peer {
        case .pbx(let link): await link.handle(frame)
        case .app(let app): await app.handle(frame)
        case .appObject(let login):
            logger.debug("frame before PbxInfo ignored", metadata: ["object": "\(login.sip)", "api": "\(frame.api ?? "")", "mt": "\(frame.mt)"])
        case .none, .pbxConfigObject:
            break
        }
    }

    /// `PbxInfo` makes an App object's connection the PBX's; anywhere else it changes nothing.
    private func pbxInfo(_ frame: Frame) async {
        switch peer {
        case .appObject(let login):
            guard let connection else { return }
            if login.app == AppNames.hidden {
                let link = PBXLink(connection: connection, domain: login.domain, testMode: login.isTestMode, registry: registry, logger: logger)
                peer = .pbx(link)
                logger.notice("PBX connected", metadata: ["app": "\(login.app)", "domain": "\(login.domain)", "object": "\(login.sip)"])
                await link.handle(frame)
            } else {
                peer = .pbxConfigObject
                logger.notice("PBX connected for the config App object", metadata: ["domain": "\(login.domain)", "object": "\(login.sip)"])
            }
        case .pbx(let link):
            await link.handle(frame)
        case .app(let app):
            logger.warning(
                "PbxInfo refused on a user's connection: only the PBX's own login for the App object may send it",
                metadata: ["user": "\(app.user)"])
        case .none, .pbxConfigObject:
            break
        }
    }

    /// The PBX asks what each app is: the Connector is hidden, provides phoneinfo (myApps starts
    /// it on call activity) and autostart (myApps starts it with the client, so it does not wait
    /// for the first call); the config app is a normal app.
    private func answerAppInfo(_ frame: Frame) async {
        let app = frame.object["app"]?.stringValue ?? ""
        let info: JSONObject = app == AppNames.hidden
            ? ["hidden": .bool(true), "apis": .object([
                "com.innovaphone.phoneinfo": .object(JSONObject()), "com.innovaphone.autostart": .object(JSONObject()),
            ])]
            : ["hidden": .bool(false)]
        try? await connection?.send(AppInfoResult(info: info), src: frame.src)
    }

    func closed() async {
        switch peer {
        case .pbx(let link):
            await registry.pbxDisconnected(link)
            logger.notice("PBX disconnected", metadata: ["domain": "\(link.domain)"])
        case .app(let app):
            await app.closed()
        case .none, .appObject, .pbxConfigObject:
            break
        }
        peer = .none
    }
}
