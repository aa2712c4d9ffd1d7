import AppWebsocket
import ConnectorService
import Foundation
import KuandoStage
import Logging
import PBXSimulator
import Synchronization

/// The hidden apps of the relayed users, in the sink's process so that their work is not the
/// service's: each logs in to the service as its user's `innovaphone-connectorforkuando` app
/// (the login the PBX would broker, signed with the instance password), answers
/// `HubRelayRequest`s from the user's hub in the sink, and runs the service's `HubWatch` as the
/// real app does: polls the hub at the interval and reports only changes and keepalives.
///
/// A real app fetches its hub over HTTP on the user's PC; here the app asks the sink directly
/// (``HubSink/answerGet(user:query:)``), since that fetch costs the PC, not the service.
final class HiddenAppFleet: Sendable {
    struct Plan: Sendable {
        /// The service's websocket URL.
        var service: String
        var domain: String
        var password: String
        /// The users, by index (`u<i>`, GUID ``BenchRig/guid(_:)``).
        var users: Range<Int>
    }

    /// Apps logging in at once: the service takes a few pending logins per address.
    static let loginsAtOnce = 16
    private let apps = Mutex<[Task<Void, Never>]>([])

    /// Logs every planned user's app in; returns when all are in.
    func start(_ plan: Plan, sink: HubSink) async throws {
        let users = plan.users.map { SimulatedUser(sip: BenchRig.sip($0), guid: BenchRig.guid($0), dn: "User \($0)") }
        let broker = PBXSimulator(
            configuration: .init(serviceURL: plan.service, password: plan.password, domain: plan.domain, testMode: true), users: users,
            logger: Logger(label: "fleet") { _ in SwiftLogNoOpLogHandler() })
        let logger = Logger(label: "fleet") { _ in SwiftLogNoOpLogHandler() }
        var pending = plan.users.makeIterator()
        try await withThrowingTaskGroup(of: Void.self) { group in
            func next() {
                guard let user = pending.next() else { return }
                group.addTask { try await self.launch(user: user, plan: plan, broker: broker, sink: sink, logger: logger) }
            }
            for _ in 0..<Self.loginsAtOnce { next() }
            while try await group.next() != nil { next() }
        }
    }

    /// Starts one app and returns once it has logged in; the app runs on until the process ends.
    private func launch(user: Int, plan: Plan, broker: PBXSimulator, sink: HubSink, logger: Logger) async throws {
        let (loggedIn, signal) = AsyncStream.makeStream(of: Result<Void, any Error>.self)
        let app = App(user: user, sink: sink)
        let task = Task {
            do {
                try await AppWebsocketConnection.connect(to: plan.service, logger: logger) { connection in
                    let login = try await connection.login { challenge in
                        try await broker.appLogin(user: BenchRig.sip(user), app: AppNames.hidden, challenge: challenge).appLogin
                    }
                    guard login.ok else { throw BenchError.timeout("\(BenchRig.sip(user))'s hidden app login: \(login.errorText ?? "refused")") }
                    await connection.setDefaultHandler { frame, connection in await app.handle(frame, connection) }
                    signal.yield(.success(()))
                    try await Task.sleep(for: .seconds(86_400 * 365))
                }
            } catch {
                signal.yield(.failure(error))
            }
            app.stopWatch()
        }
        apps.withLock { $0.append(task) }
        for await outcome in loggedIn {
            try outcome.get()
            return
        }
    }

    /// One user's app.
    final class App: Sendable {
        let user: Int
        let sink: HubSink
        private let watching = HubWatchRunner()

        init(user: Int, sink: HubSink) {
            self.user = user
            self.sink = sink
        }

        func handle(_ frame: Frame, _ connection: AppWebsocketConnection) async {
            switch frame.mt {
            case AppAPI.HubRelayRequest.messageType:
                guard let request = try? frame.decode(AppAPI.HubRelayRequest.self) else { return }
                var result = AppAPI.HubRelayResult(status: 200, body: "")
                if request.method == "POST" {
                    sink.answerPost(user: user, body: request.body ?? "")
                } else {
                    result.body = String(buffer: sink.answerGet(user: user, query: URLComponents(string: request.url)?.query ?? ""))
                }
                try? await connection.send(result, src: frame.src)
            case AppAPI.HubWatch.messageType:
                guard let watch = try? frame.decode(AppAPI.HubWatch.self) else { return }
                let query = URLComponents(string: watch.url)?.query ?? ""
                watching.start(watch, on: connection, firstDelay: .milliseconds(Int.random(in: 0..<max(watch.intervalMs, 1)))) { [sink, user] in
                    AppAPI.HubWatchReport(watch: watch.watch, status: 200, body: String(buffer: sink.answerGet(user: user, query: query)))
                }
            case AppAPI.HubUnwatch.messageType:
                stopWatch()
            default:
                break
            }
        }

        func stopWatch() {
            watching.stop()
        }
    }
}
