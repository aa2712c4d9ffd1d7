import Foundation
import Hummingbird
import KuandoHub
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import ConnectorService

/// The service connects to the address it checked but names the hub as the user wrote it.
@Suite struct HubHostHeaderTests {
    @Test func aDirectRequestCarriesTheConfiguredNameAsHost() async throws {
        let seen = Mutex<[String]>([])
        let router = Router()
        router.get("/") { request, _ -> String in
            seen.withLock { $0.append(request.head.authority ?? "(none)") }
            return #"{"sender":"","eventtype":"","eventname":""}"#
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portSink.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "host-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "host-test", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let policy = HubNetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!]) { $0 == "busylight-pc.office" ? [IPAddress("127.0.0.1")!] : [] }
            guard case .direct(let url, let host) = try await policy.route(for: "http://busylight-pc.office:\(port)/") else {
                Issue.record("expected a direct route")
                return
            }
            #expect(url.host == "127.0.0.1")
            let base = HTTPHubTransport()
            let response = try await NamedHostTransport(base: base, host: host)
                .send(HubHTTPRequest(method: .get, baseURL: url.absoluteString, query: "action=currentpresence"))
            try await base.shutdown()
            #expect(response.status == 200)
            #expect(seen.withLock { $0 } == ["busylight-pc.office:\(port)"])
            await group.triggerGracefulShutdown()
        }
    }
}
