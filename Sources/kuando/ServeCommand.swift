import ArgumentParser
import ConnectorService
import Foundation
import Logging

/// `kuando serve`: the App Service the PBX and the myApps apps connect to.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Connector for kuando App Service.",
        discussion: """
            The PBX's App objects and both apps connect to the websocket ws://HOST:PORT<path>/; the pages \
            are served at <path>/innovaphone-connectorforkuando.htm and \
            <path>/innovaphone-connectorforkuando-config.htm. On start the service prints the App object \
            URLs and the instance password to configure at the App objects (a password is generated \
            and stored on the first start when --password is not given).
            Examples:
              kuando serve
              kuando serve --port 8080 --domain example.com --db postgres://kuando:secret@127.0.0.1:5432/kuando
              kuando serve --allow-hub-network 10.0.0.0/8      # remote busylights in the office network
            """
    )

    @Option(help: "TCP port to listen on.")
    var port = 8080

    @Option(help: "Address to listen on (0.0.0.0 for all interfaces).")
    var listen = "0.0.0.0"

    @Option(help: "URL path of the apps' directory; the websocket is this directory.")
    var path = "/kuando"

    @Option(help: "The PBX domain this instance serves (sent back in AppLoginResult).")
    var domain: String?

    @Option(help: "The instance password the PBX App objects use; generated and stored when not given.")
    var password: String?

    @Option(help: "Where settings live: sqlite:PATH or postgres://user:pass@host:port/db.")
    var db = "sqlite:./kuando-data/connector.sqlite"

    @Option(name: .customLong("allow-hub-network"), help: "A network (CIDR) whose kuandoHUBs the service may call itself; repeatable. Default: none (hubs on the users' PCs are reached through myApps).")
    var allowHubNetwork: [String] = []

    @Flag(name: .customLong("direct-local-hubs"), help: "Call hubs on localhost from the service itself instead of through the hidden app. Only for a service running on the same machine as the hub (a single-user box, a demo).")
    var directLocalHubs = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535, got \(port)") }
        for network in allowHubNetwork where IPNetwork(network) == nil {
            throw ValidationError("--allow-hub-network \(network) is not a network; write it like 10.0.0.0/8 or fd00::/8")
        }
        if let password, password.isEmpty { throw ValidationError("--password must not be empty") }
    }

    func run() async throws {
        let logger = Logger(label: "kuando.connector")
        let store = try await openConfigStore(url: db, logger: logger)
        let instancePassword: String
        if let password {
            instancePassword = password
        } else {
            instancePassword = try await store.instancePassword(domain: domain ?? "")
        }
        let configuration = ConnectorServer.Configuration(
            host: listen, port: port, path: path, domain: domain, password: instancePassword,
            allowedHubNetworks: allowHubNetwork.compactMap(IPNetwork.init), localHubsDirect: directLocalHubs)
        let server = try await ConnectorServer.start(configuration, store: store, logger: logger)
        let directory = configuration.normalisedPath
        let host = listen == "0.0.0.0" || listen == "::" ? ProcessInfo.processInfo.hostName : listen
        let base = "http://\(host):\(server.port)\(directory)"
        let banner = """
            kuando serve: listening on port \(server.port)
            App objects to create on the PBX (or use the PBX Manager plugin):
              Connector for kuando         URL \(base)/innovaphone-connectorforkuando.htm  (checkmarks: WebSocket, Hidden, PbxApi, RCC)
              Connector for kuando config  URL \(base)/innovaphone-connectorforkuando-config.htm  (checkmark: WebSocket)
              Password (both)              \(instancePassword)
            Users need the licence App(innovaphone-kuando) and both apps assigned.

            """
        // Written straight to the file handle, unbuffered, so a service manager sees it at once.
        FileHandle.standardOutput.write(Data(banner.utf8))
        await withSignals([SIGTERM, SIGINT]) {
            logger.notice("stopping: Logout to every hub, closing sockets and the database")
        }
        await server.stop()
    }
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
