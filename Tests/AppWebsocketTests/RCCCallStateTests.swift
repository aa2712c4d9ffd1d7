import Testing

@testable import AppWebsocket

@Suite struct RCCCallStateTests {
    struct Row: Sendable, CustomStringConvertible {
        var state: Int
        var msg: String
        var phase: RCCCallState.Phase
        var incoming: Bool
        var held = false
        var heldByPeer = false
        var waiting = false
        var description: String { "\(state) \(msg)" }
    }

    @Test(
        "the state bit field and msg decode as the protocol notes say",
        arguments: [
            Row(state: 129, msg: "r-setup", phase: .setup, incoming: true),
            Row(state: 1, msg: "x-setup", phase: .setup, incoming: false),
            Row(state: 3, msg: "r-call-proc", phase: .setup, incoming: false),
            Row(state: 132, msg: "x-alert", phase: .alerting, incoming: true),
            Row(state: 4, msg: "r-alert", phase: .alerting, incoming: false),
            Row(state: 133, msg: "x-conn", phase: .connected, incoming: true),
            Row(state: 5, msg: "r-conn", phase: .connected, incoming: false),
            Row(state: 261, msg: "update", phase: .held, incoming: false, held: true),
            Row(state: 389, msg: "update", phase: .held, incoming: true, held: true),
            Row(state: 645, msg: "r-held", phase: .held, incoming: true, heldByPeer: true),
            Row(state: 1156, msg: "x-alert", phase: .alerting, incoming: true, waiting: true),
            Row(state: 135, msg: "r-disc", phase: .disconnecting, incoming: true),
            Row(state: 6, msg: "x-disc", phase: .disconnecting, incoming: false),
            Row(state: 8, msg: "update", phase: .parked, incoming: false),
            Row(state: 133, msg: "del", phase: .ended, incoming: true),
            Row(state: 0, msg: "del", phase: .ended, incoming: false),
        ])
    func decodes(row: Row) {
        let state = RCCCallState(state: row.state, msg: row.msg)
        #expect(state.phase == row.phase)
        #expect(state.isIncoming == row.incoming)
        #expect(state.isHeld == row.held)
        #expect(state.isHeldByPeer == row.heldByPeer)
        #expect(state.isWaiting == row.waiting)
        #expect(state.isEnded == (row.msg == "del"))
    }

    @Test("del:true ends a call whatever msg says")
    func delFlag() throws {
        let frame = try Frame(parsing: #"{"api":"RCC","mt":"CallInfo","user":1,"call":2,"state":133,"msg":"update","del":true}"#)
        #expect(try frame.decode(RCC.CallInfo.self).callState.phase == .ended)
    }

    @Test("the documented CallInfo example decodes")
    func documentedExample() throws {
        let frame = try Frame(
            parsing: #"{"mt":"CallInfo","api":"RCC","user":1,"call":2,"state":6,"peer":{"e164":"444","h323":""},"msg":"r-disc","info":[{"type":"cause","vali":1,"vals":"Unallocated (unassigned) number"}]}"#
        )
        let info = try frame.decode(RCC.CallInfo.self)
        #expect(info.user == 1 && info.call == 2 && info.peer?.e164 == "444")
        #expect(info.callState.phase == .disconnecting && info.callState.isOutgoing)
        #expect(frame.rawText(of: "info") == #"[{"type":"cause","vali":1,"vals":"Unallocated (unassigned) number"}]"#)
    }
}
