import ArgumentParser
import ConnectorService
import Foundation
import Logging
import Metrics
import Prometheus
import Synchronization
import Timing

/// `kuando serve`: the App Service the PBX and the myApps apps connect to.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Connector for kuando App Service.",
        discussion: """
            The PBX's App objects and both apps connect to the websocket ws://HOST:PORT<path>/ (wss:// with \
            --tls-cert and --tls-key); the pages are served at <path>/innovaphone-connectorforkuando.htm and \
            <path>/innovaphone-connectorforkuando-config.htm, and for each instance (PBX domain) under \
            /<domain><path>/; /healthz, /readyz, /metrics (Prometheus) and /admin/instances (from this \
            machine only) at the root. On start the service prints the App object URLs, and the instance \
            password when it generated one (stored on the first start when no password is set). \
            --domain and --password name this service's own instance; kuando instance adds more, and \
            several processes may share one PostgreSQL database (docs/scaling.md).
            Each setting is taken from its flag, else its environment variable, else the config file \
            (--config), else its default. --check-config prints the settings in effect and where each \
            came from, and exits.
            Examples:
              kuando serve
              kuando serve --port 8080 --domain example.com --db postgres://kuando:secret@127.0.0.1:5432/kuando
              kuando serve --allow-hub-network 10.0.0.0/8      # remote busylights in the office network
              KUANDO_PORT=9090 kuando serve --config /etc/kuando/connector.json --check-config

            \(ServeSettings.help)
            """
    )

    @OptionGroup var arguments: SettingsArguments

    func run() async throws {
        guard let settings = try arguments.start(ServeSettings.self, command: "serve") else { return }
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(ConnectorMetrics.factory(registry: metrics))
        let logger = Logger(label: "kuando.connector")
        let store = try await openConfigStore(url: settings.db, logger: logger, retrying: Backoff(initial: .seconds(1), maximum: .seconds(30)))
        // The instance of --domain (the domain-less one without): the password given is stored
        // as its password, so every process sharing the database and `kuando instance` agree.
        let domain = settings.domain ?? ""
        let (instancePassword, passwordLine, others) = try await store.whileRunning { () async throws -> (String, String, Int) in
            let others = try await store.instances().filter { $0.domain.lowercased() != domain.lowercased() }.count
            if let password = settings.password {
                try await store.setInstancePassword(domain: domain, password: password)
                return (password, "the one configured (not shown)", others)
            }
            if let stored = try await store.storedInstancePassword(domain: domain) {
                // Printed once, when it was made: a journal read later does not show it again.
                return (stored, "the one stored at the first start (kuando instance show-password\(domain.isEmpty ? "" : " " + domain) prints it)", others)
            }
            let generated = try await store.instancePassword(domain: domain)
            return (generated, "\(generated)  (generated now and stored; set it at both App objects)", others)
        }
        let configuration = settings.configuration(password: instancePassword)
        let listening = Mutex(false)
        let application = try ConnectorApplication.build(configuration, store: store, metrics: metrics, logger: logger) { port in
            listening.withLock { $0 = true }
            // The App Platform's URL shape with a domain; the apps' directory itself serves it too.
            let directory = (domain.isEmpty ? "" : "/" + domain) + configuration.normalisedPath
            let host = settings.listen == "0.0.0.0" || settings.listen == "::" ? ProcessInfo.processInfo.hostName : settings.listen
            let base = "\(settings.tls == nil ? "http" : "https")://\(host):\(port)\(directory)"
            let banner = """
                kuando serve: listening on port \(port)\(settings.tls == nil ? "" : " (TLS)")
                App objects to create on the PBX\(domain.isEmpty ? "" : " of " + domain) (or use the PBX Manager plugin):
                  Connector for kuando         URL \(base)/\(AppNames.hidden)  (checkmarks: WebSocket, Hidden; APIs: PbxApi, RCC, TableUsers)
                  Connector for kuando config  URL \(base)/\(AppNames.config)  (no checkmarks)
                  Password (both)              \(passwordLine)
                Users need the licence \(AppNames.licence) and both apps assigned.
                \(others == 0 ? "" : "Also serving \(others) more instance\(others == 1 ? "" : "s") of the database (kuando instance list).\n")
                """
            // Written straight to the file handle, unbuffered, so a service manager sees it at once.
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        // SIGTERM, SIGINT: Logout to every hub, sockets closed, the store closed; a listener that
        // cannot start ends the group with its error (exit non-zero).
        do {
            try await application.serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
        } catch where !listening.withLock({ $0 }) {
            printError("kuando serve: \(ConnectorServerError.notListening(host: settings.listen, port: settings.port)) (\(error))")
            throw ExitCode(1)
        }
    }
}
