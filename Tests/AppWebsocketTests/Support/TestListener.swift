import AppWebsocket
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import PBXSimulator
import Testing
import TestSupport

/// A small App Service for the tests: a Hummingbird websocket route on 127.0.0.1, port 0,
/// that checks logins with ``ServerLogin`` and answers `AppInfo`.
struct TestListener: Sendable {
    enum Entry: Sendable {
        case event(ConnectionEvent)
        case login(AppLogin)
    }

    let log = EventLog<Entry>()
    let connections = EventLog<AppWebsocketConnection>()
    let challenges: ChallengeBook
    let password: String

    init(password: String, challenges: ChallengeBook = ChallengeBook()) {
        self.password = password
        self.challenges = challenges
    }

    static let appInfo: JSONObject = ["hidden": true, "presence": false, "apis": ["com.innovaphone.phoneinfo": .object(JSONObject())]]

    /// Runs the listener while `body` runs with its port.
    func run(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        let listener = self
        router.ws("/") { inbound, outbound, _ in
            let policy = ServerLogin(challenges: listener.challenges, passwords: [listener.password], domain: "example.com") { login, connection in
                listener.log.append(.login(login))
                listener.connections.append(connection)
            }
            let connection = AppWebsocketConnection(
                transport: WebSocketTransport(inbound: inbound, outbound: outbound), role: .server(policy),
                configuration: .init(requestTimeout: .seconds(5), observer: { listener.log.append(.event($0)) })
            )
            await connection.setHandler(api: nil) { frame, connection in
                if frame.mt == AppInfo.messageType {
                    try await connection.send(AppInfoResult(info: TestListener.appInfo), src: frame.src)
                }
            }
            try await connection.run()
        }
        var logger = Logger(label: "test-listener")
        logger.logLevel = .error
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: WebSocketTransport.transportFrameBytes, autoPing: .disabled))
            ),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    /// Runs the listener with a PBX simulator that `makePBX` makes for the listener's URL; once
    /// the simulator is logged in and has its `AppInfoResult`, runs `body` with it and the
    /// listener's side of its connection. The simulator is disconnected afterwards, also when
    /// `body` throws.
    func withLinkedPBX(
        _ makePBX: @Sendable (_ url: String) -> PBXSimulator, _ body: @Sendable (PBXSimulator, AppWebsocketConnection) async throws -> Void
    ) async throws {
        try await run { port in
            let pbx = makePBX("ws://127.0.0.1:\(port)/")
            await pbx.start()
            do {
                try await pbx.waitUntil { $0.appInfoResult != nil }
                try await body(pbx, try await connection())
            } catch {
                await pbx.disconnect()
                throw error
            }
            await pbx.disconnect()
        }
    }

    /// Frames the listener received, in order.
    var received: [Frame] {
        log.entries.compactMap { if case .event(.received(let frame)) = $0 { frame } else { nil } }
    }

    /// Waits for the `index`-th accepted login's connection.
    func connection(_ index: Int = 0) async throws -> AppWebsocketConnection {
        try await connections.waitUntil { $0.count > index }
        return connections.entries[index]
    }
}

extension EventLog where Entry == TestListener.Entry {
    /// Whether a frame with this `mt` was received.
    static func received(_ mt: String) -> @Sendable ([Entry]) -> Bool {
        { entries in entries.contains { if case .event(.received(let frame)) = $0 { frame.mt == mt } else { false } } }
    }

    /// Whether the listener refused a login.
    static var loginRefused: @Sendable ([Entry]) -> Bool {
        { entries in entries.contains { if case .event(.loginRefused) = $0 { true } else { false } } }
    }
}
