import AppWebsocket
import Logging
import WSCore

/// The service's websocket, the directory of the apps' pages: every connection logs in with
/// AppWebsocket and then is the PBX (flow B) or an app of a user (flow C).
public struct ConnectorEndpoint: Sendable {
    public let challenges: ChallengeBook
    public let password: String
    /// The instance domain, sent back in `AppLoginResult`.
    public let domain: String?
    public let registry: SessionRegistry
    private let logger: Logger

    public init(password: String, domain: String?, registry: SessionRegistry, challenges: ChallengeBook = ChallengeBook(), logger: Logger) {
        self.password = password
        self.domain = domain
        self.registry = registry
        self.challenges = challenges
        self.logger = logger
    }

    /// Serves one websocket until it closes.
    public func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let peer = PeerSlot(registry: registry, logger: logger)
        let login = ServerLogin(challenges: challenges, passwords: [password], domain: domain) { login, connection in
            await peer.accept(login, on: connection)
        }
        let connection = AppWebsocketConnection(
            transport: WebSocketTransport(inbound: inbound, outbound: outbound), role: .server(login),
            configuration: .init(requestTimeout: .seconds(10), keepAliveInterval: .seconds(60))
        )
        await connection.setDefaultHandler { frame, _ in await peer.handle(frame) }
        defer { Task { await peer.closed() } }
        try await connection.run()
    }
}

/// What one connection turned out to be after its login, and where its frames go.
actor PeerSlot {
    private enum Peer {
        case none
        /// The PBX's connection for the Connector's App object: RCC, PbxApi.
        case pbx(PBXLink)
        /// The PBX's connection for the config App object: only `AppInfo`.
        case pbxConfigObject
        case app(AppPeer)
    }

    private let registry: SessionRegistry
    private let logger: Logger
    private var peer = Peer.none
    private var connection: AppWebsocketConnection?

    init(registry: SessionRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    func accept(_ login: AppLogin, on connection: AppWebsocketConnection) async {
        self.connection = connection
        guard login.app == AppNames.hidden || login.app == AppNames.config else {
            logger.warning("login for an app this service does not have", metadata: ["app": "\(login.app)"])
            await connection.close(.loginRefused("this service serves \(AppNames.hidden) and \(AppNames.config), not \(login.app)"))
            return
        }
        // Only the PBX's own login (flow B) carries `info.pbx`.
        if login.info?["pbx"] != nil {
            if login.app == AppNames.hidden {
                let testMode = login.info?["testmode"]?.boolValue == true
                peer = .pbx(PBXLink(connection: connection, domain: login.domain, testMode: testMode, registry: registry, logger: logger))
            } else {
                peer = .pbxConfigObject
            }
            logger.notice("PBX connected", metadata: ["app": "\(login.app)", "domain": "\(login.domain)", "object": "\(login.sip)"])
            return
        }
        let user = UserKey(domain: login.domain, guid: login.guid, sip: login.sip)
        let licensed = !login.isUnlicensed || login.info?["testmode"]?.boolValue == true
        let app = AppPeer(
            connection: connection, user: user, kind: login.app == AppNames.hidden ? .hidden : .config, licensed: licensed,
            registry: registry, logger: logger)
        peer = .app(app)
        await app.start()
    }

    func handle(_ frame: Frame) async {
        if frame.api == nil, frame.mt == AppInfo.messageType {
            return await answerAppInfo(frame)
        }
        switch peer {
        case .pbx(let link): await link.handle(frame)
        case .app(let app): await app.handle(frame)
        case .none, .pbxConfigObject: break
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
        case .none, .pbxConfigObject:
            break
        }
        peer = .none
    }
}
