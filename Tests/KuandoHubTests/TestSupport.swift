import Busylight
import Foundation
import KuandoHub
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport

/// A lamp that records every effect it is asked to show, in order.
actor RecordingLamp: Lamp {
    nonisolated let info: LampInfo
    private(set) var applied: [BusylightEffect] = []

    init(path: String = "/dev/hidraw0", model: String = "Busylight Omega") {
        self.info = LampInfo(path: path, vendorID: 0x27BB, productID: 0x3BCD, model: model)
    }

    func apply(_ effect: BusylightEffect) async throws {
        applied.append(effect)
    }

    var last: BusylightEffect? { applied.last }
}

/// The same lamps on every scan.
struct FixedLamps: LampInventory {
    let list: [RecordingLamp]

    init(_ list: [RecordingLamp]) {
        self.list = list
    }

    func lamps() async -> [any Lamp] { list }
}

/// A transport that answers from a script, one entry per request, and records the requests.
actor ScriptedTransport: HubTransport {
    struct Unreachable: Error {}

    private var script: [Result<HubHTTPResponse, Unreachable>]
    private(set) var requests: [HubHTTPRequest] = []

    /// Answers `script` in order, then 200 `{"response":"OK"}` for ever.
    init(_ script: [Result<HubHTTPResponse, Unreachable>] = []) {
        self.script = script
    }

    func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        requests.append(request)
        guard !script.isEmpty else { return HubHTTPResponse(status: 200, body: HubReply.ok) }
        return try script.removeFirst().get()
    }

    /// The POST actions sent, in order (GETs as `GET <query>`).
    var actions: [String] {
        requests.map { request in
            guard let body = request.body, let document = HubJSON(parsing: body) else { return "GET \(request.query ?? "")" }
            return document["action"]?.text ?? "?"
        }
    }
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Runs the open hub on 127.0.0.1 with a free port and calls `body` with its base URL; stops it afterwards.
func withOpenHub<Value: Sendable>(
    _ hub: OpenHub, access: OpenHubAccess = OpenHubAccess(token: nil), origins: [String] = [], hostNames: [String] = [],
    _ body: @Sendable (String) async throws -> Value
) async throws -> Value {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = OpenHubServer.buildApplication(
        hub: hub, configuration: .init(host: "127.0.0.1", port: 0, access: access, origins: BrowserOrigins(allowed: origins), hostNames: hostNames),
        logger: quietLogger
    ) { port in
        portContinuation.yield(port)
    }
    let group = ServiceGroup(configuration: .init(services: [app], logger: quietLogger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            let value = try await body("http://127.0.0.1:\(port)/")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
    }
}

/// A client of the open hub at `url` over real HTTP, sending as `source`.
func withClient<Value: Sendable>(
    _ url: String, source: String, token: String? = nil, _ body: @Sendable (HubClient, HTTPHubTransport) async throws -> Value
) async throws -> Value {
    // Generous: these tests are about what the hub answers; a full parallel test run can stall
    // the machine past the product's 3 s.
    let transport = HTTPHubTransport(connectTimeout: .seconds(20), requestTimeout: .seconds(20))
    let client = HubClient(
        configuration: .init(baseURL: url, token: token, dataSourceName: source), transport: transport, logger: quietLogger)
    return try await withCleanup {
        try await body(client, transport)
    } cleanup: {
        try await transport.shutdown()
    }
}
