import AppWebsocket
import Foundation

/// Scripted calls: each step changes the call and emits RCC `CallInfo` with the `state` and
/// `msg` a PBX sends (`x-…` from the monitored user's side, `r-…` from the peer's).
extension PBXSimulator {
    /// An incoming call offered to `user`: `r-setup`, state 0x81.
    @discardableResult
    public func startIncomingCall(to user: String, from number: String, name: String = "") async throws -> Int {
        try await startCall(user: user, direction: .incoming, number: number, name: name, msg: "r-setup")
    }

    /// An outgoing call by `user`: `x-setup`, state 0x01.
    @discardableResult
    public func startOutgoingCall(from user: String, to number: String, name: String = "") async throws -> Int {
        try await startCall(user: user, direction: .outgoing, number: number, name: name, msg: "x-setup")
    }

    /// Ringing: `x-alert` at the user's phone (incoming, 0x84) or `r-alert` at the peer (outgoing, 0x04).
    public func alert(_ call: Int) async throws {
        try await change(call, msg: { $0.direction == .incoming ? "x-alert" : "r-alert" }) { $0.signalling = 4 }
    }

    /// Connected: `x-conn` when the user answers (incoming, 0x85), `r-conn` when the peer does (outgoing, 0x05).
    public func connect(_ call: Int) async throws {
        try await change(call, msg: { $0.direction == .incoming ? "x-conn" : "r-conn" }) { $0.signalling = 5 }
    }

    /// The user holds the call: `update` with bit 0x100 (e.g. 389 incoming, 261 outgoing).
    public func hold(_ call: Int) async throws {
        try await change(call, msg: { _ in "update" }) { $0.held = true }
    }

    /// The user retrieves the call: `update` without bit 0x100.
    public func retrieve(_ call: Int) async throws {
        try await change(call, msg: { _ in "update" }) { $0.held = false }
    }

    /// The peer holds the call: `r-held` with bit 0x200.
    public func holdByPeer(_ call: Int) async throws {
        try await change(call, msg: { _ in "r-held" }) { $0.heldByPeer = true }
    }

    /// The peer retrieves the call: `r-retrieved`.
    public func retrieveByPeer(_ call: Int) async throws {
        try await change(call, msg: { _ in "r-retrieved" }) { $0.heldByPeer = false }
    }

    /// Marks the call as a waiting call (bit 0x400, `update`).
    public func setWaiting(_ call: Int, _ waiting: Bool) async throws {
        try await change(call, msg: { _ in "update" }) { $0.waiting = waiting }
    }

    /// Ends the call: a disconnect (`r-disc`, state 7, when the peer hangs up; `x-disc`,
    /// state 6, when the user does), then `del`.
    public func hangUp(_ call: Int, byPeer: Bool = true) async throws {
        try await change(call, msg: { _ in byPeer ? "r-disc" : "x-disc" }) { $0.signalling = byPeer ? 7 : 6 }
        try await change(call, msg: { _ in "del" }) { $0.ended = true }
        record { $0.calls[call] = nil }
    }

    /// An incoming call that rings and is given up by the caller: `r-setup`, `x-alert`, `r-disc`, `del`.
    @discardableResult
    public func missedCall(to user: String, from number: String, name: String = "") async throws -> Int {
        let call = try await startIncomingCall(to: user, from: number, name: name)
        try await alert(call)
        try await hangUp(call, byPeer: true)
        return call
    }

    private func startCall(user: String, direction: SimulatedCall.Direction, number: String, name: String, msg: String) async throws -> Int {
        guard state.users[user] != nil else { throw PBXSimulatorError.unknownUser(user) }
        let id = nextCallID
        nextCallID += 1
        let conf = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let call = SimulatedCall(id: id, conf: conf, started: .now, user: user, direction: direction, peerNumber: number, peerName: name, signalling: 1)
        record { $0.calls[id] = call }
        await emitCallInfo(call, msg: msg)
        return id
    }

    private func change(_ id: Int, msg: (SimulatedCall) -> String, _ update: (inout SimulatedCall) -> Void) async throws {
        guard var call = state.calls[id] else { throw PBXSimulatorError.unknownCall(id) }
        update(&call)
        let changed = call
        record { $0.calls[id] = changed }
        await emitCallInfo(changed, msg: msg(changed))
    }
}
