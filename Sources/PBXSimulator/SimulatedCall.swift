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
    /// The conference id, a GUID that all legs of the call share (RCC `conf`).
    public let conf: String
    /// When the call started, for RCC `time` (seconds since then).
    public let started: ContinuousClock.Instant
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
        if direction == .incoming { state |= 0x80 }
        if held { state |= 0x100 }
        if heldByPeer { state |= 0x200 }
        if waiting { state |= 0x400 }
        return state
    }

    /// Talking (connected, held or not): what shows the user "on the phone".
    public var isConnected: Bool { !ended && signalling == 5 }

    /// The call as RCC `CallInfo`, shaped as a real PBX sends it: `conf` the call's GUID,
    /// `time`, a peer whose unknown parts are empty strings (`"h323":""`), the release cause in
    /// an `info` array when the call is cleared, and both `msg:"del"` and `del:true` at the end.
    func callInfo(handle: Int, msg: String) -> RCC.CallInfo {
        let released = msg == "r-disc" || msg == "x-disc" || msg == "r-rel" || msg == "x-rel"
        return RCC.CallInfo(
            user: handle, call: id, conf: conf, state: state, time: Int((ContinuousClock.now - started).components.seconds),
            peer: RCC.Connector(type: "", cn: "", dn: peerName, h323: "", e164: peerNumber, norm: peerNumber), msg: msg,
            info: released ? [RCC.CallInfoItem(type: "cause", vali: 16, vals: "Normal call clearing")] : [],
            del: msg == "del" ? true : nil
        )
    }
}
