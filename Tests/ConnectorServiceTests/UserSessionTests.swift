import Foundation
import KuandoSync
import Testing
@testable import ConnectorService

/// Records what a session asks of the PBX, in order.
actor RecordingPBX: PBXUserPort {
    enum Request: Equatable {
        case setPresence(PBXPresence)
        case addAlienCall
        case removeAlienCall(String)
    }

    private(set) var requests: [Request] = []
    private var nextAlienCall = 0
    var failing = false

    func setFailing(_ failing: Bool) { self.failing = failing }

    func setPresence(_ presence: PBXPresence, for user: UserKey) async throws {
        if failing { throw TestFailure("PBX refused SetPresence") }
        requests.append(.setPresence(presence))
    }

    func addAlienCall(for user: UserKey) async throws -> String {
        nextAlienCall += 1
        requests.append(.addAlienCall)
        return "alien-\(nextAlienCall)"
    }

    func removeAlienCall(_ id: String, for user: UserKey) async throws {
        requests.append(.removeAlienCall(id))
    }
}

/// Records what a session asks of the hub, in order.
actor RecordingHub: HubPort {
    enum Request: Equatable {
        case register
        case show(LampState)
        case release
        case logout
    }

    private(set) var requests: [Request] = []
    var winner = HubWinner.none
    var down = false

    func setDown(_ down: Bool) { self.down = down }

    func register() async throws {
        if down { throw TestFailure("hub unreachable") }
        requests.append(.register)
    }

    func show(_ state: LampState, _ appearance: LampAppearance) async throws {
        if down { throw TestFailure("hub unreachable") }
        requests.append(.show(state))
    }

    func release() async throws {
        if down { throw TestFailure("hub unreachable") }
        requests.append(.release)
    }

    func currentPresence() async throws -> HubWinner { winner }

    func logout() async throws { requests.append(.logout) }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Collects trace lines from any task.
final class TraceLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

import Synchronization

@Suite struct UserSessionTests {
    let user = UserKey(domain: "example.com", guid: "0011", sip: "alice")

    func makeSession(pbx: RecordingPBX, traces: TraceLog = TraceLog(), alienCalls: Bool = true) -> UserSession {
        UserSession(user: user, config: .defaults, pbx: pbx, alienCalls: alienCalls, trace: { traces.append($0) })
    }

    @Test func effectsReachThePBXAndTheHubInOrder() async {
        let pbx = RecordingPBX()
        let hub = RecordingHub()
        let session = makeSession(pbx: pbx)
        await session.setLicensed(true)
        await session.attachHub(hub, transport: "direct")
        await session.apply(.call(CallChange(id: "1", direction: .incoming, phase: .alerting)))
        await session.apply(.call(CallChange(id: "1", direction: .incoming, phase: .connected)))
        await session.apply(.hubWinner(HubWinner(sender: "MS Teams", eventType: "Call", eventName: "On-The-Phone")))
        await session.apply(.call(CallChange(id: "1", direction: .incoming, phase: .ended)))
        await session.apply(.hubWinner(.none))
        #expect(await hub.requests == [.show(.ringing), .show(.onthephone), .release])
        #expect(await pbx.requests == [.addAlienCall, .removeAlienCall("alien-1")])
    }

    @Test func anUnlicensedUserGetsNoHubTraffic() async {
        let pbx = RecordingPBX()
        let hub = RecordingHub()
        let session = makeSession(pbx: pbx)
        await session.attachHub(hub, transport: "direct")
        await session.apply(.call(CallChange(id: "1", direction: .incoming, phase: .alerting)))
        #expect(await hub.requests.isEmpty)
        #expect(await session.status.licensed == false)
    }

    @Test func aFailingHubIsReportedInTheStatusAndTheSessionGoesOn() async {
        let pbx = RecordingPBX()
        let hub = RecordingHub()
        let traces = TraceLog()
        let session = makeSession(pbx: pbx, traces: traces)
        await session.setLicensed(true)
        await session.attachHub(hub, transport: "direct")
        await hub.setDown(true)
        await session.apply(.call(CallChange(id: "1", direction: .incoming, phase: .alerting)))
        let status = await session.status
        #expect(status.hubReachable == false)
        #expect(status.lastErrors.last?.message.contains("hub show ringing failed: hub unreachable") == true)
        #expect(traces.all.contains { $0.hasPrefix("kuandoconnector-log: hub show ringing failed") })
        await hub.setDown(false)
        await session.apply(.hubConnected)
        #expect(await hub.requests == [.show(.ringing)])
        #expect(await session.status.hubReachable)
    }

    @Test func queuedInputsAreHandledInOrder() async throws {
        let pbx = RecordingPBX()
        let session = makeSession(pbx: pbx)
        let updates = await session.statusUpdates()
        session.send(.hubWinner(HubWinner(sender: "Manual Changer", eventType: "Light", eventName: "Busy")))
        session.send(.hubWinner(HubWinner(sender: "Manual Changer", eventType: "Light", eventName: "Lunch")))
        for await status in updates where status.pbxPresence == PBXPresence(activity: "away", note: "lunch") { break }
        #expect(await pbx.requests == [.setPresence(PBXPresence(activity: "busy")), .setPresence(PBXPresence(activity: "away", note: "lunch"))])
        await session.finish()
    }

    @Test func finishReturnsOnceTheQueuedInputsAreHandledAndDropsLaterOnes() async throws {
        let pbx = RecordingPBX()
        let session = makeSession(pbx: pbx)
        let updates = await session.statusUpdates()
        let names = ["Busy", "Lunch", "DND", "Busy", "Lunch"]
        for name in names { session.send(.hubWinner(HubWinner(sender: "Manual Changer", eventType: "Light", eventName: name))) }
        await session.finish()
        #expect(await pbx.requests.count == names.count, "every queued input was handled before finish returned")
        session.send(.hubWinner(HubWinner(sender: "Manual Changer", eventType: "Light", eventName: "DND")))
        // Had it been queued, this would wait for its drain.
        await session.finish()
        #expect(await pbx.requests.count == names.count)
        // The status subscription ends with the session.
        for await _ in updates {}
    }

    @Test func errorsAreCappedForThePanel() async {
        let pbx = RecordingPBX()
        await pbx.setFailing(true)
        let session = makeSession(pbx: pbx)
        for number in 0..<(SessionStatus.errorLimit + 5) {
            await session.apply(.hubWinner(HubWinner(sender: "Manual Changer", eventType: "Light", eventName: number.isMultiple(of: 2) ? "Busy" : "DND")))
        }
        let errors = await session.status.lastErrors
        #expect(errors.count == SessionStatus.errorLimit)
        #expect(errors.allSatisfy { $0.message.contains("PBX SetPresence for alice@example.com (0011) failed: PBX refused SetPresence") })
    }
}
