import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import HTTPTypes
import KuandoHub
import Logging
import NIOCore

/// The service's HTTP side: the websocket and the apps' pages of every instance, `/healthz`,
/// `/readyz`, `/metrics`, `/admin/instances`, and in demo mode the stand-in's login broker.
///
/// Each instance answers under `/<domain><path>` (the App Platform's URL shape, e.g.
/// `/example.com/kuando/innovaphone-connectorforkuando`); the primary instance also at `<path>`
/// itself, as a single-domain service always did. Under an instance another process serves,
/// every request (websocket upgrades too) is answered `503` with the header
/// `Kuando-Instance-Owner`, so a reverse proxy tries the next server and the PBX's log says
/// where the instance is; under a domain nobody serves, `404`.
enum ConnectorRoutes {
    /// The header naming the process that serves an instance, on a `503` from one that does not.
    static let ownerHeader = HTTPField.Name("Kuando-Instance-Owner")!

    /// How often every websocket is pinged: a peer that misses a pong until the next ping is
    /// closed, so a dead PC's app goes within four minutes. Not what keeps a proxy from closing
    /// an idle websocket: `KeepAlive` does that every 30 s (``KeepAliveSweeper``). Each ping wakes
    /// a timer and, with its pong, the connection's reader: at 30 s they were half of the
    /// service's CPU with 10,000 watching apps (BENCHMARKS.md, run I).
    static let pingPeriod = Duration.seconds(120)

    static func build(
        _ configuration: ConnectorServer.Configuration, instances: InstanceDirectory, process: String, store: any ConfigStore,
        metrics: MetricsExposition, standinLogin: StandinLogin? = nil, requestHeadDeadline: Duration, logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) throws -> some ApplicationProtocol {
        let path = configuration.normalisedPath
        let router = Router(context: ConnectorRequestContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        // Ready: the config database answers (what every instance needs). Which instances have
        // their PBX linked is the admin's view (/admin/instances) and the metrics'.
        let readiness = ReadinessLog(logger: logger)
        router.get("/readyz") { _, _ -> Response in
            var problems: [String] = []
            do {
                try await store.ping()
            } catch {
                problems.append("the config database does not answer: \(error)")
            }
            readiness.note(problems)
            return Response(
                status: problems.isEmpty ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: problems.isEmpty ? "ready\n" : "not ready\n")))
        }
        router.get("/metrics") { _, _ -> Response in
            await metrics.response()
        }
        router.get("/admin/instances") { _, context -> Response in
            // For the admin on this machine: the socket peer, never a forwarded address.
            guard OpenHubAccess.isLoopback(context.remoteAddress) else {
                throw HTTPError(.forbidden, message: "the instance list answers only on this machine: ask it at 127.0.0.1 or [::1]\n")
            }
            return await InstanceReport.response(instances, process: process)
        }
        let pages = WebPages(demoMode: standinLogin != nil)
        let page: @Sendable (String?) throws -> Response = { name in
            guard let name, let page = pages.response(for: name) else {
                throw HTTPError(.notFound, message: "no such page; the apps are \(AppNames.hidden).htm and \(AppNames.config).htm")
            }
            return page
        }
        // The instance a request names: the primary at `<path>`, else the one of `/:domain<path>`.
        let primaryDomain = instances.primaryDomain
        let instance: @Sendable (ConnectorRequestContext, Bool) -> (domain: String, place: InstanceDirectory.Place?) = { context, primary in
            let domain = primary ? primaryDomain : context.parameters.get("domain") ?? ""
            return (domain, instances.place(of: domain))
        }
        for (base, primary) in [(path, true), ("/:domain" + path, false)] {
            router.get(RouterPath(base + "/:file")) { _, context -> Response in
                let (domain, place) = instance(context, primary)
                if let refusal = refusal(place, domain: domain) { return refusal }
                return try page(context.parameters.get("file"))
            }
            router.get(RouterPath(base)) { _, context -> Response in
                let (domain, place) = instance(context, primary)
                return refusal(place, domain: domain) ?? webSocketOnly()
            }
        }
        if let standinLogin {
            ConnectorServer.addStandinRoutes(standinLogin, to: router, path: path)
        }
        // Upgrades have a router of their own, so a page and a websocket may share a URL.
        // The websocket is the apps' directory (`/kuando` and `/kuando/` are one route) and, since
        // a PBX may connect to the App object URL itself, each app's URL with or without `.htm`.
        // A browser page may open it only from the service's own origin or one the admin allows
        // (the PBX sends no `Origin`); a refused upgrade is answered 400, and the log says why.
        // An upgrade under an instance not served here is not taken, and the router above
        // answers it (503, 404).
        let origins = BrowserOrigins(allowed: configuration.allowedOrigins)
        let originAllowed: @Sendable (Request) -> Bool = { request in
            guard origins.allows(origin: request.headers[.origin], host: request.head.authority) else {
                logger.warning(
                    "websocket refused: a web page of another origin tried to open it; if it is the apps' public address, allow it with --allow-origin",
                    metadata: ["origin": "\(request.headers[.origin] ?? "")"])
                return false
            }
            return true
        }
        let trustedProxies = configuration.trustedProxies
        let appURLs = Set([AppNames.hidden, AppNames.config].flatMap { [$0, $0 + ".htm"] })
        let webSocketRouter = Router(context: ConnectorRequestContext.self)
        for (route, primary) in [(path, true), (path + "/:app", true), ("/:domain" + path, false), ("/:domain" + path + "/:app", false)] {
            webSocketRouter.ws(RouterPath(route)) { request, context in
                guard context.parameters.get("app").map(appURLs.contains) ?? true, case .here = instance(context, primary).place else { return .dontUpgrade }
                return originAllowed(request) ? .upgrade([:]) : .dontUpgrade
            } onUpgrade: { inbound, outbound, context in
                // Taken over between the upgrade and now: the peer reconnects.
                guard case .here(let served) = instance(context.requestContext, primary).place else { return }
                let peer = ClientAddress.resolve(
                    peer: context.requestContext.peerAddress, forwarded: context.request.headers[.forwarded],
                    xForwardedFor: context.request.headers[.xForwardedFor], trusted: trustedProxies)
                try await served.endpoint.serve(inbound: inbound, outbound: outbound, peerAddress: peer)
            }
        }
        let http = HTTPServerBuilder.http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: .init(maxFrameSize: WebSocketTransportLimits.frameBytes, autoPing: .enabled(timePeriod: Self.pingPeriod)),
            requestHeadDeadline: requestHeadDeadline
        )
        return Application(
            router: router,
            server: try configuration.tls.map { try .tls(http, tlsConfiguration: $0) } ?? http,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// The answer under an instance this process does not serve; nil when it does.
    static func refusal(_ place: InstanceDirectory.Place?, domain: String) -> Response? {
        let name = domain.isEmpty ? "this service's instance" : "instance \(domain)"
        switch place {
        case .here:
            return nil
        case .elsewhere(let owner):
            let text = owner.map { "\(name) is served by \($0), not by this process; a reverse proxy retries the next server\n" }
                ?? "\(name) is not served by any process right now: it is being taken over; try again in a few seconds\n"
            return Response(
                status: .serviceUnavailable, headers: [ownerHeader: owner ?? "none", .retryAfter: "2", .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case nil:
            return Response(
                status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "no instance for the domain \(domain) on this service: an admin adds it with kuando instance add \(domain)\n")))
        }
    }

    private static func webSocketOnly() -> Response {
        Response(
            status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "this is the apps' websocket: connect with a websocket upgrade, or open one of the apps' pages\n")))
    }
}
