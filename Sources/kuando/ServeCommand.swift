import ArgumentParser
import ConnectorService
import Foundation
import Logging
import Metrics
import Prometheus
import Timing

/// `kuando serve`: the App Service the PBX and the myApps apps connect to.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Connector for kuando App Service.",
        discussion: """
            The PBX's App objects and both apps connect to the websocket ws://HOST:PORT<path>/ (wss:// with \
            --tls-cert and --tls-key); the pages are served at <path>/innovaphone-connectorforkuando.htm and \
            <path>/innovaphone-connectorforkuando-config.htm; /healthz, /readyz and /metrics (Prometheus) \
            at the root. On start the service prints the App object URLs, and the instance password when \
            it generated one (stored on the first start when no password is set).
            Each setting is taken from its flag, else its environment variable, else the config file \
            (--config), else its default. --check-config prints the settings in effect and where each \
            came from, and exits.
            Examples:
              kuando serve
              kuando serve --port 8080 --domain example.com --db postgres://kuando:secret@127.0.0.1:5432/kuando
              kuando serve --allow-hub-network 10.0.0.0/8      # remote busylights in the office network
              KUANDO_PORT=9090 kuando serve --config /etc/kuando/connector.json --check-config
            """
    )

    @Option(help: ServeSettings.config.help) var config: String?
    @Option(help: ServeSettings.port.help) var port: String?
    @Option(help: ServeSettings.listen.help) var listen: String?
    @Option(help: ServeSettings.path.help) var path: String?
    @Option(help: ServeSettings.domain.help) var domain: String?
    @Option(help: ServeSettings.password.help) var password: String?
    @Option(help: ServeSettings.db.help) var db: String?
    @Option(help: ServeSettings.allowHubNetwork.help) var allowHubNetwork: [String] = []
    @Flag(inversion: .prefixedNo, help: ServeSettings.directLocalHubs.help) var directLocalHubs: Bool?
    @Option(help: ServeSettings.tlsCert.help) var tlsCert: String?
    @Option(help: ServeSettings.tlsKey.help) var tlsKey: String?
    @Option(help: ServeSettings.allowOrigin.help) var allowOrigin: [String] = []
    @Option(help: ServeSettings.trustedProxy.help) var trustedProxy: [String] = []
    @Option(help: Setting.logFormat.help) var logFormat: String?
    @Option(help: Setting.logLevel.help) var logLevel: String?
    @Flag(help: "Check the settings, print the ones in effect (secrets masked) and where each came from, and exit.")
    var checkConfig = false

    /// What was given on the command line, by setting key.
    private var flags: [String: [String]] {
        [
            ServeSettings.config.key: given(config), ServeSettings.port.key: given(port), ServeSettings.listen.key: given(listen),
            ServeSettings.path.key: given(path), ServeSettings.domain.key: given(domain), ServeSettings.password.key: given(password),
            ServeSettings.db.key: given(db), ServeSettings.allowHubNetwork.key: allowHubNetwork,
            ServeSettings.directLocalHubs.key: given(directLocalHubs.map { $0 ? "true" : "false" }),
            ServeSettings.tlsCert.key: given(tlsCert), ServeSettings.tlsKey.key: given(tlsKey),
            ServeSettings.allowOrigin.key: allowOrigin, ServeSettings.trustedProxy.key: trustedProxy,
            Setting.logFormat.key: given(logFormat), Setting.logLevel.key: given(logLevel),
        ].filter { !$0.value.isEmpty }
    }

    func run() async throws {
        guard let settings = try ServeSettings.start("serve", flags: flags, checkConfig: checkConfig) else { return }
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(ConnectorMetrics.factory(registry: metrics))
        let logger = Logger(label: "kuando.connector")
        let store = try await openConfigStore(url: settings.db, logger: logger, retrying: Backoff(initial: .seconds(1), maximum: .seconds(30)))
        let instancePassword: String
        let passwordLine: String
        if let password = settings.password {
            instancePassword = password
            passwordLine = "the one configured (not shown)"
        } else if let stored = try await store.storedInstancePassword(domain: settings.domain ?? "") {
            // Printed once, when it was made: a journal read later does not show it again.
            instancePassword = stored
            passwordLine = "the one stored at the first start (kuando show-password prints it)"
        } else {
            instancePassword = try await store.instancePassword(domain: settings.domain ?? "")
            passwordLine = "\(instancePassword)  (generated now and stored; set it at both App objects)"
        }
        let configuration = ConnectorServer.Configuration(
            host: settings.listen, port: settings.port, path: settings.path, domain: settings.domain, password: instancePassword,
            allowedHubNetworks: settings.allowedHubNetworks, localHubsDirect: settings.directLocalHubs, tls: settings.tls,
            allowedOrigins: settings.allowedOrigins, trustedProxies: settings.trustedProxies)
        let server = try await ConnectorServer.start(configuration, store: store, metrics: metrics, logger: logger)
        let directory = configuration.normalisedPath
        let host = settings.listen == "0.0.0.0" || settings.listen == "::" ? ProcessInfo.processInfo.hostName : settings.listen
        let base = "\(settings.tls == nil ? "http" : "https")://\(host):\(server.port)\(directory)"
        let banner = """
            kuando serve: listening on port \(server.port)\(settings.tls == nil ? "" : " (TLS)")
            App objects to create on the PBX (or use the PBX Manager plugin):
              Connector for kuando         URL \(base)/\(AppNames.hidden)  (checkmarks: WebSocket, Hidden; APIs: PbxApi, RCC, TableUsers)
              Connector for kuando config  URL \(base)/\(AppNames.config)  (no checkmarks)
              Password (both)              \(passwordLine)
            Users need the licence \(AppNames.licence) and both apps assigned.

            """
        // Written straight to the file handle, unbuffered, so a service manager sees it at once.
        FileHandle.standardOutput.write(Data(banner.utf8))
        await withSignals([SIGTERM, SIGINT]) {
            logger.notice("stopping: Logout to every hub, closing sockets and the database")
        }
        await server.stop()
    }
}

/// A flag's value as a list: empty when the flag was not given.
func given(_ value: String?) -> [String] {
    value.map { [$0] } ?? []
}

/// Waits until one of `signals` arrives, then runs `onSignal`.
func withSignals(_ signals: [Int32], onSignal: @Sendable () -> Void) async {
    let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
    var sources: [any DispatchSourceSignal] = []
    for number in signals {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { continuation.yield(number) }
        source.resume()
        sources.append(source)
    }
    for await _ in stream { break }
    for source in sources { source.cancel() }
    onSignal()
}
