import AppWebsocket

/// A call of a simulated user, as RCC reports it.
///
/// ``state`` is the RCC bit field: the signalling state in the low nibble, `0x80` for a call
/// the PBX offers to the user (incoming), `0x100` held by the user, `0x200` held by the peer,
/// `0x400` waiting.
public struct SimulatedCall: Sendable, Equatable {
    public enum Direction: String, Sendable, Codable {
        case incoming
        case outgoing
    }

    /// The RCC call handle.
    public let id: Int
    /// The user whose call it is.
    public let user: String
    public let direction: Direction
    /// The other party's number.
    public var peerNumber: String
    public var peerName: String
    /// `state & 0xF`: 1 setup, 4 alert, 5 connected, 6 disconnect sent, 7 disconnect received.
    public var signalling: Int
    public var held = false
    public var heldByPeer = false
    public var waiting = false
    public var ended = false

    public var state: Int {
        var state = signalling
        if direction == .incoming { state |= RCCCallState.incomingBit }
        if held { state |= RCCCallState.heldBit }
        if heldByPeer { state |= RCCCallState.heldByPeerBit }
        if waiting { state |= RCCCallState.waitingBit }
        return state
    }

    /// Talking (connected, held or not): what shows the user "on the phone".
    public var isConnected: Bool { !ended && signalling == 5 }

    func callInfo(handle: Int, msg: String) -> RCC.CallInfo {
        RCC.CallInfo(
            user: handle, call: id, state: state, peer: RCC.Connector(dn: peerName, e164: peerNumber), msg: msg,
            del: msg == "del" ? true : nil
        )
    }
}
