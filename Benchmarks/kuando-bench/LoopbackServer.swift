import Hummingbird
import Logging

/// Serves `router` over HTTP on 127.0.0.1 at a free port; returns the port and the task running
/// the server (cancel it to stop the server).
func serveOnLoopback(_ router: Router<BasicRequestContext>, logger: Logger) async -> (port: Int, runner: Task<Void, any Error>) {
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        },
        logger: logger)
    let runner = Task { try await app.runService(gracefulShutdownSignals: []) }
    var port = 0
    for await bound in ports { port = bound }
    return (port, runner)
}
