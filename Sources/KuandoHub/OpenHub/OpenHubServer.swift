import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP face of the open hub (Hummingbird): kuandoHUB's API at `/`, plus `/status` and
/// `/status.json`. Browser pages may call it only from the origins the owner allows (the hidden
/// myApps app's), with CORS for exactly those (``OpenHubBrowserGuard``).
///
/// ```swift
/// let hub = try OpenHub(inventory: lamps, registryFile: HubRegistryFile(path: "hub.json"))
/// let app = OpenHubServer.buildApplication(hub: hub, configuration: .init(port: 8989))
/// try await app.runService()
/// ```
public enum OpenHubServer {
    public struct Configuration: Sendable {
        /// The address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for remote use.
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        public var access: OpenHubAccess
        /// How often lamps are rescanned, so a lamp plugged in later shows the winner.
        public var lampRefresh: Duration
        /// Web origins whose pages may call the hub (`--allow-origin`): the origin the hidden
        /// myApps app runs under, e.g. `https://apps.example.com:8080`. Default: none.
        public var origins: BrowserOrigins
        /// Host names besides `localhost` and IP addresses the hub answers to (`--allow-host`).
        public var hostNames: [String]

        /// kuandoHUB's own port and this machine only.
        public static let defaultPort = 8989
        public static let defaultHost = "127.0.0.1"

        public init(
            host: String = defaultHost, port: Int = defaultPort, access: OpenHubAccess = OpenHubAccess(token: nil),
            lampRefresh: Duration = .seconds(2), origins: BrowserOrigins = BrowserOrigins(allowed: []), hostNames: [String] = []
        ) {
            self.host = host
            self.port = port
            self.access = access
            self.lampRefresh = lampRefresh
            self.origins = origins
            self.hostNames = hostNames
        }
    }

    /// The header that carries the access token.
    static let tokenHeader = HTTPField.Name(HubHTTPRequest.tokenHeader)!

    /// The application serving `hub`; `onRunning` learns the port it listens on.
    public static func buildApplication(
        hub: OpenHub, configuration: Configuration, logger: Logger = Logger(label: "kuando.hub"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var app = Application(
            router: buildRouter(hub: hub, access: configuration.access, origins: configuration.origins, hostNames: configuration.hostNames),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "kuando hub"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        app.addServices(LampRefresh(hub: hub, interval: configuration.lampRefresh))
        return app
    }

    /// The routes: the hub API on `/`, the status page and its JSON.
    public static func buildRouter(
        hub: OpenHub, access: OpenHubAccess, origins: BrowserOrigins = BrowserOrigins(allowed: []), hostNames: [String] = []
    ) -> Router<OpenHubRequestContext> {
        let router = Router(context: OpenHubRequestContext.self)
        router.add(middleware: OpenHubBrowserGuard(origins: origins, hostNames: Set(hostNames.map { $0.lowercased() })))
        router.add(middleware: OpenHubAccessMiddleware(access: access))
        router.get("/") { request, _ in
            response(await hub.handleGET(query: request.uri.query ?? ""))
        }
        router.post("/") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            return response(await hub.handlePOST(body: Data(body.readableBytesView)))
        }
        router.get("/status") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenHubStatusPage.html)))
        }
        router.get("/status.json") { _, _ in
            response(HubHTTPResponse(status: 200, body: Data(await hub.status().json.jsonText.utf8)))
        }
        return router
    }

    static func response(_ reply: HubHTTPResponse) -> Response {
        Response(
            status: .init(code: reply.status), headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
