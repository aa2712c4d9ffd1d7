import Testing

@testable import KuandoSync

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
    func delFlag() {
        #expect(RCCCallState(state: 133, msg: "update", del: true).phase == .ended)
    }

    /// What the engine gets for real `CallInfo` values: states as a PBX sends them (SDK example,
    /// consumer code comparing 133, 261, 389), including the user's and the peer's hold.
    @Test(
        "RCC CallInfo as a call change",
        arguments: [
            (129, "r-setup", CallDirection.incoming, CallPhase.setup), (132, "x-alert", .incoming, .alerting),
            (133, "x-conn", .incoming, .connected), (389, "update", .incoming, .held), (645, "r-held", .incoming, .connected),
            (901, "update", .incoming, .held), (1, "x-setup", .outgoing, .setup), (4, "r-alert", .outgoing, .alerting),
            (5, "r-conn", .outgoing, .connected), (261, "update", .outgoing, .held), (8, "update", .outgoing, .held),
            (6, "r-disc", .outgoing, .ended), (135, "r-disc", .incoming, .ended), (133, "del", .incoming, .ended),
        ] as [(Int, String, CallDirection, CallPhase)])
    func callChange(state: Int, msg: String, direction: CallDirection, phase: CallPhase) {
        #expect(CallChange.rcc(call: 2, state: state, msg: msg) == CallChange(id: "2", direction: direction, phase: phase))
    }
}
