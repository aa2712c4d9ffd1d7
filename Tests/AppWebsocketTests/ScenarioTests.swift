import AppWebsocket
import Foundation
import PBXSimulator
import Testing
import TestSupport

@Suite struct ScenarioTests {
    /// The example file shipped in examples/, found from this source file's location.
    static let exampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/pbx-sim-day.json")

    @Test("the example scenario parses: users, PBX settings, every kind of step")
    func exampleParses() throws {
        let scenario = try Scenario.load(contentsOf: Self.exampleURL)
        #expect(scenario.users.map(\.sip) == ["alice", "bob", "carol"])
        #expect(scenario.users.map(\.licensed) == [true, false, true])
        #expect(scenario.users[2].hasApp == false)
        #expect(scenario.steps.count == 15)
        let configuration = scenario.configuration(serviceURL: "ws://127.0.0.1:1/", password: "p")
        #expect(configuration.domain == "example.com" && configuration.grantedAPIs.count == 4)
    }

    @Test("a step naming a call no step started is reported")
    func unknownCallLabel() async throws {
        let json = #"{"users":[{"sip":"a","guid":"g"}],"steps":[{"at":0,"action":"connect","call":"nope"}]}"#
        let scenario = try JSONDecoder().decode(Scenario.self, from: Data(json.utf8))
        let pbx = PBXSimulator(configuration: .init(serviceURL: "ws://127.0.0.1:1/", password: "p"), users: scenario.users)
        await #expect(throws: Scenario.Failure.unknownCallLabel("nope", step: 1)) { try await scenario.run(on: pbx, clock: RecordingClock()) }
    }

    @Test("the example day runs against a listener: calls reach the monitor, the PBX restarts and logs in again")
    func exampleRuns() async throws {
        let scenario = try Scenario.load(contentsOf: Self.exampleURL)
        let listener = TestListener(password: "pw")
        try await listener.withLinkedPBX({
            PBXSimulator(configuration: scenario.configuration(serviceURL: $0, password: "pw"), users: scenario.users)
        }) { pbx, service in
            _ = try await service.request(RCC.UserInitialize(cn: "Alice"))
            try await scenario.run(on: pbx, clock: RecordingClock())
            try await pbx.waitUntil { $0.connections == 2 && $0.appInfoResult != nil }
            let calls = await pbx.state.framesToService.filter { $0.mt == "CallInfo" }.compactMap { try? $0.decode(RCC.CallInfo.self) }
            #expect(calls.count == 12)
            #expect(calls.filter { $0.msg == "del" }.count == 2)
            #expect(await pbx.state.telPresence(of: "alice")?.activity == "")
            #expect(await pbx.state.events.contains(.presenceChangedManually(sip: "alice", PbxApi.Presence(activity: "dnd", displayNote: "", params: [:]))))
        }
    }
}
