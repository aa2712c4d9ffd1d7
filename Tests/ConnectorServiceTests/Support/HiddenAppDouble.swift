import AppWebsocket
import Foundation
import KuandoSync
import KuandoHub
import KuandoStage
import Synchronization
import TestSupport
@testable import ConnectorService

/// The hidden app on the user's PC as the service meets it: it relays hub requests
/// (`HubRelayRequest`) to the hub, and, unless it plays an app from before watches, runs the
/// service's hub watch (`HubWatch`): polls the hub at the interval and reports the first answer,
/// each change and a keepalive, as `innovaphone-connectorforkuando.js` does. `localhost` in the
/// URLs it is given is the open hub at 127.0.0.1. It records what it did.
final class HiddenAppDouble: Sendable {
    let watches: Bool
    private let transport = HTTPHubTransport()
    private let record = Mutex(Record())
    private let watching = HubWatchRunner()

    struct Record {
        /// The POSTs relayed (the connector's commands), in order.
        var posts: [HubRequest] = []
        /// GETs the service asked to relay.
        var relayedGets = 0
        /// The app's own polls of a watch, and the watches it was given.
        var watchPolls = 0
        var watches: [AppAPI.HubWatch] = []
        var reports: [AppAPI.HubWatchReport] = []
    }

    init(watches: Bool = true) {
        self.watches = watches
    }

    var recorded: Record { record.withLock { $0 } }

    /// The connector's own lamp commands (its claims), by event name.
    var shows: [String] {
        recorded.posts.filter { $0.sender == SyncEngine.defaultDataSourceName && $0.eventName != nil }.compactMap(\.eventName)
    }

    /// Logs in `user`'s hidden app on `stage`, plays the app while `body` runs, then closes it.
    func run(on stage: LoopbackStage, as user: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withCleanup {
            try await stage.withApp(user, AppNames.hidden) { connection in
                await connection.setDefaultHandler { [self] frame, connection in try await handle(frame, connection) }
                try await body()
            }
        } cleanup: {
            stopWatch()
            try await transport.shutdown()
        }
    }

    private func handle(_ frame: Frame, _ connection: AppWebsocketConnection) async throws {
        switch frame.mt {
        case AppAPI.HubRelayRequest.messageType:
            let relayed = try frame.decode(AppAPI.HubRelayRequest.self)
            let body = relayed.body.map { Data($0.utf8) }
            record.withLock { record in
                if let body, let request = try? HubRequest(postBody: body) { record.posts.append(request) } else { record.relayedGets += 1 }
            }
            let answer = await fetch(relayed.method == "POST" ? .post : .get, relayed.url, body: body, token: relayed.token)
            try await connection.send(AppAPI.HubRelayResult(status: answer.status, body: answer.body, error: answer.error), src: frame.src)
        case AppAPI.HubWatch.messageType where watches:
            let watch = try frame.decode(AppAPI.HubWatch.self)
            record.withLock { $0.watches.append(watch) }
            watching.start(watch, on: connection) { [self] in
                record.withLock { $0.watchPolls += 1 }
                return await fetch(.get, watch.url, token: watch.token)
            } reported: { [self] report in
                record.withLock { $0.reports.append(report) }
            }
        case AppAPI.HubUnwatch.messageType where watches:
            stopWatch()
        default:
            break
        }
    }

    private func fetch(_ method: HubHTTPRequest.Method, _ url: String, body: Data? = nil, token: String?) async -> AppAPI.HubWatchReport {
        let local = url.replacingOccurrences(of: "localhost", with: "127.0.0.1")
        do {
            let response = try await transport.send(HubHTTPRequest(method: method, baseURL: local, body: body, token: token))
            return AppAPI.HubWatchReport(watch: 0, status: response.status, body: String(decoding: response.body, as: UTF8.self))
        } catch {
            return AppAPI.HubWatchReport(watch: 0, error: "TypeError: Failed to fetch")
        }
    }

    private func stopWatch() {
        watching.stop()
    }
}
