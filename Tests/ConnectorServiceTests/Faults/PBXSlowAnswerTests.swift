import AppWebsocket
import Busylight
import Foundation
import KuandoStage
import PBXSimulator
import Testing
@testable import ConnectorService

/// The PBX leaves a user's RCC `UserInitialize` unanswered (a PBX busy restarting, or thousands
/// of users set up at once): the service asks again, and the user's calls reach the lamp.
@Suite(.serialized) struct PBXSlowAnswerTests {
    @Test func aUserWhoseUserInitializeWentUnansweredIsAskedAgainAndTheirCallsShow() async throws {
        var limits = ConnectorEndpoint.Limits()
        limits.requestTimeout = .milliseconds(500)
        let options = LoopbackStage.Options(
            users: [ServiceRig.alice, ServiceRig.bob], password: ServiceRig.password, limits: limits,
            serviceLogger: ServiceRig.testLogger, logger: ServiceRig.testLogger, connectPBX: false)
        try await ServiceRig.run(options) { rig in
            try await rig.useOpenHub(for: "alice")
            await rig.pbx.leaveUnanswered(userInitializesOf: "alice", count: 2)
            await rig.pbx.start()
            try await rig.pbx.waitUntil(timeout: .seconds(30)) { state in
                state.events.contains { if case .userMonitored(sip: "alice", _) = $0 { true } else { false } }
            }
            let asked = await rig.pbx.state.framesFromService.compactMap { try? $0.decode(RCC.UserInitialize.self).cn }
            #expect(asked.filter { $0 == ServiceRig.alice.cn }.count == 3, "alice asked three times: \(asked)")

            try await rig.answeredCall(to: "alice")
        }
    }
}
