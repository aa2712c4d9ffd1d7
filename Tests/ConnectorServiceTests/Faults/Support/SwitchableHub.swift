import Busylight
import Foundation
import KuandoHub
import Logging

/// A kuandoHUB in memory for fault tests: an ``OpenHub`` answering each request directly, that
/// can be switched off (every request fails as an unplugged host's would) and restarted (a
/// fresh hub that has forgotten every data source and claim).
actor SwitchableHub: HubTransport {
    struct Down: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    private(set) var hub: OpenHub
    private(set) var up = true
    /// Requests that reached a running hub since its last start: POST actions by name, GETs as `GET <query>`.
    private(set) var received: [String] = []
    /// Requests refused while the hub was off.
    private(set) var refused = 0
    /// Requests the running hub is answering now (one that came in before a switch-off still gets its answer).
    private(set) var inFlight = 0
    private let lamp = SimulatedLamp()

    init() throws {
        hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: Logger(label: "test.hub") { _ in SwiftLogNoOpLogHandler() })
    }

    func setUp(_ up: Bool) {
        self.up = up
    }

    /// A new hub process on the same lamp: no data sources but the built-in ones, no claims.
    func restart() throws {
        hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: Logger(label: "test.hub") { _ in SwiftLogNoOpLogHandler() })
        received = []
    }

    func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        guard up else {
            refused += 1
            throw Down()
        }
        inFlight += 1
        defer { inFlight -= 1 }
        switch request.method {
        case .get:
            received.append("GET \(request.query ?? "")")
            return await hub.handleGET(query: request.query ?? "")
        case .post:
            let body = request.body ?? Data()
            received.append(HubJSON(parsing: body)?["action"]?.text ?? "?")
            return await hub.handlePOST(body: body)
        }
    }

    /// The winning claim's sender and event name, nil when nothing is claimed.
    var winner: (sender: String, event: String?)? {
        get async {
            guard let claim = await hub.board.winner() else { return nil }
            return (claim.sender, claim.eventName)
        }
    }

    /// Whether the running hub knows the data source `name`.
    func knows(_ name: String) async -> Bool {
        await hub.board.registry.dataSources.contains { $0.name == name }
    }
}
