import AppWebsocket
import Foundation
import KuandoHub
import KuandoSync
import PBXSimulator
import Synchronization
import Testing
@testable import ConnectorService

/// The hidden app that relays a hub on the user's PC goes away and comes back (myApps closed and
/// opened again): the hub gets the latest state once, not the states it missed.
@Suite(.serialized) struct RelayReconnectTests {
    /// What a relaying hidden app forwarded to the hub, in order.
    final class RelayLog: Sendable {
        private let requests = Mutex<[HubRequest]>([])
        private let gets = Mutex(0)

        func add(_ request: HubRequest) { requests.withLock { $0.append(request) } }
        func addGet() { gets.withLock { $0 += 1 } }
        var all: [HubRequest] { requests.withLock { $0 } }
        var getCount: Int { gets.withLock { $0 } }
        /// The connector's own lamp commands (its claims), by event name.
        var shows: [String] {
            all.filter { $0.sender == SyncEngine.defaultDataSourceName && $0.eventName != nil }.compactMap(\.eventName)
        }
    }

    /// Logs in `alice`'s hidden app, relays every hub request to the open hub while `body` runs, then closes it.
    func withRelay(_ rig: ServiceRig, _ log: RelayLog, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let transport = HTTPHubTransport()
        do {
            try await rig.withApp("alice", AppNames.hidden) { hidden in
                await hidden.setDefaultHandler { frame, connection in
                    guard frame.mt == "HubRelayRequest", let url = frame.object["url"]?.stringValue else { return }
                    let local = url.replacingOccurrences(of: "localhost", with: "127.0.0.1")
                    let body = frame.object["body"]?.stringValue.map { Data($0.utf8) }
                    if let body, let request = try? HubRequest(postBody: body) { log.add(request) } else { log.addGet() }
                    let request = HubHTTPRequest(method: frame.object["method"]?.stringValue == "POST" ? .post : .get, baseURL: local, body: body)
                    let response = try await transport.send(request)
                    try await connection.send(Frame(mt: "HubRelayResult", src: frame.src, fields: [
                        "status": .int(response.status), "body": .string(String(decoding: response.body, as: UTF8.self)),
                    ]))
                }
                try await body()
            }
        } catch {
            try await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
    }

    @Test func afterTheRelayReconnectsTheLatestStateIsDeliveredOnce() async throws {
        try await ServiceRig.run { rig in
            let port = try #require(URLComponents(string: rig.hubURL)?.port)
            try await rig.withApp("alice") { config in
                let answer = try await config.request(Frame(AppAPI.SetConfig(config: ["hubUrl": .string("http://localhost:\(port)/")])))
                #expect(answer.object["ok"]?.boolValue == true)
            }
            let call = try await rig.pbx.startIncomingCall(to: "alice", from: "0301234")
            let firstRelay = RelayLog()
            try await withRelay(rig, firstRelay) {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable && $0.hubTransport == "relay" }
                try await rig.pbx.connect(call)
                try await rig.lampShows("on the phone through the relay") { $0.effect == .solid(.red100) }
            }
            #expect(firstRelay.shows.last == LampState.onthephone.hubEventName)
            try await rig.status(of: ServiceRig.alice) { !$0.hubReachable }

            // While no relay runs the call is held, retrieved and held again.
            try await rig.pbx.hold(call)
            try await rig.pbx.retrieve(call)
            try await rig.pbx.hold(call)
            try await rig.status(of: ServiceRig.alice) { $0.calls.first?.phase == .held }

            let secondRelay = RelayLog()
            try await withRelay(rig, secondRelay) {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
                // Several polls later nothing else was claimed.
                let polled = await eventually { secondRelay.getCount >= 3 }
                #expect(polled, "the link polls the hub through the new relay")
            }
            #expect(secondRelay.shows == [LampState.held.hubEventName], "the latest state once, not the missed ones: \(secondRelay.shows)")
            #expect(secondRelay.all.first?.action.name == .registerDataSource, "registered again on the new relay")
        }
    }
}
