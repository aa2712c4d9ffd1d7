import AppWebsocket
import ConnectorService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import KuandoSync
import Logging
import PBXSimulator
import Synchronization
import Testing
import TestSupport

/// A stand-in for `kuando serve` that speaks the app API of docs/api.md, for page tests.
///
/// It serves the Web folder at `/kuando/<file>`, the websocket at `/kuando/`, the stand-in's
/// logins at `/kuando/standin/login` (brokered by a ``PBXSimulator`` with the real digest) and
/// a tiny kuandoHUB at `/hub/` (with CORS, as the real hub). Settings are checked with the real
/// ``UserConfig`` rules; hub tests and lamp tests are answered from ``hubToken``. Everything
/// the pages send is recorded in ``log``.
final class FakeService: Sendable {
    enum Event: Sendable {
        case login(app: String, sip: String)
        case received(app: String, frame: Frame)
        case hubRequest(method: String, query: String, token: String?, body: String)
    }

    static let path = "kuando"
    static let configApp = "innovaphone-connectorforkuando-config"
    static let hiddenApp = "innovaphone-connectorforkuando"
    /// The token the fake hub accepts.
    static let hubToken = "right-token"
    /// What the fake hub answers `currentpresence` with, until a test sets ``hubAnswer``.
    static let hubBody = #"{"sender":"Microsoft Teams","eventtype":"Call","eventname":"Call Alert"}"#

    let log = EventLog<Event>()
    let simulator: PBXSimulator
    private let password = "instance-secret"
    private let challenges = ChallengeBook()
    private let configs = Mutex<[String: UserConfig]>([:])
    private let connections = Mutex<[String: AppWebsocketConnection]>([:])
    /// When set, the next SetConfig is refused with these problems (the service's authority).
    let refusal = Mutex<[ConfigProblem]?>(nil)
    /// While set, the stand-in's login broker refuses every login (the app stays disconnected);
    /// `refusedLogins` counts the refusals.
    let loginsClosed = Mutex(false)
    let refusedLogins = Mutex(0)
    /// What the fake hub answers now.
    let hubAnswer = Mutex(FakeService.hubBody)

    init() {
        simulator = PBXSimulator(
            configuration: PBXSimulatorConfiguration(
                serviceURL: "ws://127.0.0.1:1/kuando/", password: "instance-secret"),
            users: [
                SimulatedUser(sip: "alice", guid: "11111111111111111111111111111111", dn: "Alice Liddell"),
                SimulatedUser(sip: "bob", guid: "22222222222222222222222222222222", dn: "Bob Unlicensed", licensed: false),
            ])
    }

    /// The Web folder in the source tree.
    static let webFolder = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../../../Sources/ConnectorService/Web").standardized

    /// The stored config of a user, if the config app opened it.
    func config(of sip: String) -> UserConfig? { configs.withLock { $0[sip] } }

    /// The connection of the app that logged in last as `app`.
    func connection(_ app: String) -> AppWebsocketConnection? { connections.withLock { $0[app] } }

    /// Frames the pages sent with this `mt`.
    func received(_ mt: String) -> [Frame] {
        log.entries.compactMap { if case .received(_, let frame) = $0, frame.mt == mt { frame } else { nil } }
    }

    func logins(_ app: String) -> Int {
        log.entries.filter { if case .login(app, _) = $0 { true } else { false } }.count
    }

    /// Sends a frame to the app's current connection.
    func send(_ frame: Frame, to app: String) async throws {
        let current = try #require(self.connection(app), "\(app) has not logged in")
        try await current.send(frame)
    }

    /// Runs the service while `body` runs with its port.
    func run(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        let service = self
        router.ws("/\(Self.path)") { inbound, outbound, _ in
            try await service.serve(inbound: inbound, outbound: outbound)
        }
        router.get("/\(Self.path)/standin/login") { request, _ in
            try await service.standinLogin(request)
        }
        router.get("/\(Self.path)/:file") { _, context in
            try service.file(context.parameters.get("file") ?? "")
        }
        router.on("/hub", method: .options) { _, _ in
            Response(status: .noContent, headers: Self.cors)
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/hub", method: method) { request, _ in
                var request = request
                let body = try await request.collectBody(upTo: 65536)
                service.log.append(.hubRequest(
                    method: request.method.rawValue, query: request.uri.query ?? "",
                    token: request.headers[HTTPField.Name("http_token")!], body: String(buffer: body)))
                var headers = Self.cors
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: service.hubAnswer.withLock { $0 })))
            }
        }
        var logger = Logger(label: "fake-service")
        logger.logLevel = .error
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: WebSocketTransport.transportFrameBytes, autoPing: .disabled))),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    static let cors: HTTPFields = [
        .accessControlAllowOrigin: "*",
        .accessControlAllowHeaders: "http_token, content-type",
        .accessControlAllowMethods: "GET, POST, OPTIONS",
    ]

    // MARK: HTTP

    private func file(_ name: String) throws -> Response {
        guard !name.contains("/"), !name.hasPrefix("."),
              let data = FileManager.default.contents(atPath: Self.webFolder.appending(path: name).path)
        else { return Response(status: .notFound) }
        let type: String = switch (name as NSString).pathExtension {
        case "htm", "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        default: "application/octet-stream"
        }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func standinLogin(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        if loginsClosed.withLock({ $0 }) {
            refusedLogins.withLock { $0 += 1 }
            return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "logins are closed by the test")))
        }
        do {
            let login = try await simulator.appLogin(
                user: String(query["sip"] ?? ""), app: String(query["app"] ?? ""), challenge: String(query["challenge"] ?? ""))
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(login.json).text)))
        } catch {
            return Response(status: .forbidden, body: .init(byteBuffer: ByteBuffer(string: "\(error)")))
        }
    }

    // MARK: websocket

    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let service = self
        let policy = ServerLogin(challenges: challenges, passwords: [password], domain: "example.com") { login, connection in
            service.log.append(.login(app: login.app, sip: login.sip))
            service.connections.withLock { $0[login.app] = connection }
            let app = login.app == Self.configApp ? "config" : "hidden"
            let user = AppAPI.SessionInfo.User(domain: login.domain, sip: login.sip, dn: login.dn)
            try? await connection.send(AppAPI.SessionInfo(app: app, licensed: !login.isUnlicensed, user: user))
            if app == "hidden" {
                try? await connection.send(AppAPI.Trace(line: "kuandoconnector-log: service says hello to \(login.sip)"))
            }
        }
        let connection = AppWebsocketConnection(
            transport: WebSocketTransport(inbound: inbound, outbound: outbound), role: .server(policy),
            configuration: .init(requestTimeout: .seconds(10))
        )
        await connection.setHandler(api: nil) { (frame: Frame, connection: AppWebsocketConnection) in
            guard let login = await connection.login else { return }
            service.log.append(.received(app: login.app, frame: frame))
            if let answer = try service.answer(frame, from: login) {
                try await connection.send(answer)
            }
        }
        try await connection.run()
    }

    /// The answer the service gives, nil for messages it only takes note of.
    private func answer(_ frame: Frame, from login: AppLogin) throws -> Frame? {
        let configRequests = [AppAPI.GetConfig.messageType, AppAPI.SetConfig.messageType, AppAPI.TestHub.messageType, AppAPI.TestLamp.messageType,
            AppAPI.SubscribeStatus.messageType]
        if login.app == Self.hiddenApp, configRequests.contains(frame.mt) {
            return AppAPI.Outcome(ok: false, error: "the hidden app only relays").frame(answering: frame)
        }
        switch frame.mt {
        case AppAPI.GetConfig.messageType:
            let config = configs.withLock { $0[login.sip, default: .defaults] }
            configs.withLock { $0[login.sip] = config }
            return Frame(AppAPI.GetConfigResult(config: config), src: frame.src)
        case AppAPI.SetConfig.messageType:
            return try setConfig(frame, sip: login.sip)
        case AppAPI.TestHub.messageType:
            let request = try frame.decode(AppAPI.TestHub.self)
            var result = AppAPI.TestHubResult(ok: request.hubToken == Self.hubToken, reachable: true)
            result.transport = "direct"
            result.tokenAccepted = result.ok
            if result.ok {
                result.lamps = [.init(path: "sim-1", model: "Busylight Omega")]
                result.winner = HubWinner(sender: "Microsoft Teams", eventType: "Call", eventName: "Call Alert")
            } else {
                result.error = Self.wrongTokenError(request.hubUrl ?? "")
            }
            return Frame(result, src: frame.src)
        case AppAPI.TestLamp.messageType, AppAPI.SubscribeStatus.messageType:
            return AppAPI.Outcome(ok: true).frame(answering: frame)
        default:
            return nil
        }
    }

    static func wrongTokenError(_ url: String) -> String {
        "hub at \(url) answered 401: the access token is wrong — copy it from the hub's advanced settings"
    }

    private func setConfig(_ frame: Frame, sip: String) throws -> Frame {
        let current = configs.withLock { $0[sip, default: .defaults] }
        var problems: [ConfigProblem]
        var updated = current
        do {
            updated = try current.applying(patch: Data((frame.rawText(of: "config") ?? "null").utf8))
            problems = updated.problems()
        } catch let error as ConfigPatchError {
            problems = error.problems
        }
        if problems.isEmpty, let forced = refusal.withLock({ refusal in defer { refusal = nil }; return refusal }) {
            problems = forced
        }
        guard problems.isEmpty else {
            return Frame(AppAPI.SetConfigResult(ok: false, error: "the settings have mistakes; nothing was saved", problems: problems), src: frame.src)
        }
        configs.withLock { $0[sip] = updated }
        return Frame(AppAPI.SetConfigResult(ok: true, config: updated), src: frame.src)
    }
}

extension FakeService {
    /// Opens the stand-in page in a browser, waits until its hidden app has logged in to this
    /// service, and runs `body` with the browser and the service's port.
    func withHiddenApp(_ body: @Sendable (WebDriver, _ port: Int) async throws -> Void) async throws {
        try await run { port in
            try await Browser.withSession { browser in
                try await browser.openConfigApp(port: port, waitForSettings: false)
                try await browser.leaveFrame()
                try await eventually("the hidden app logged in") { self.logins(Self.hiddenApp) >= 1 }
                try await body(browser, port)
            }
        }
    }

    /// Runs `body` with a browser that has the config app open against this service, logged in
    /// as `user` in `lang`.
    func withConfigApp(user: String = "alice", lang: String = "en", _ body: @Sendable (WebDriver) async throws -> Void) async throws {
        try await run { port in
            try await Browser.withSession { browser in
                try await browser.openConfigApp(port: port, user: user, lang: lang)
                try await body(browser)
            }
        }
    }
}
