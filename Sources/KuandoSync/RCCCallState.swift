/// What an RCC `CallInfo` says about a call, decoded from its `state` bit field and `msg`
/// (SDK `RCC.htm`; the bits are documented for `CallAdd` and used alike in `CallInfo`).
///
/// `state & 0xF` is the signalling state (1 setup, 2 setup-ack, 3 call-proc, 4 alert, 5 conn,
/// 6 disc-sent, 7 disc-received, 8 parked); `0x80` marks a call the PBX offers *to* the user
/// (incoming); `0x100` held by the user; `0x200` held by the peer; `0x400` waiting. `msg == "del"`
/// or `del:true` means the call is gone.
///
/// ```swift
/// RCCCallState(state: 389, msg: "update")   // incoming, connected, held by the user
/// ```
public struct RCCCallState: Sendable, Hashable {
    /// Where the call stands.
    public enum Phase: String, Sendable, Hashable {
        /// Not yet set up (state 0).
        case idle
        /// Setup, setup-ack or call proceeding: dialling or offered, not yet ringing.
        case setup
        /// Ringing, at the user's phone (incoming) or at the peer (outgoing).
        case alerting
        /// Connected and not held.
        case connected
        /// Connected and held, by the user or by the peer.
        case held
        /// Disconnect sent or received; the call is about to go.
        case disconnecting
        /// Parked.
        case parked
        /// Gone (`msg:"del"` or `del:true`).
        case ended
    }

    public static let incomingBit = 0x80
    public static let heldBit = 0x100
    public static let heldByPeerBit = 0x200
    public static let waitingBit = 0x400

    /// The raw bit field.
    public let state: Int
    /// `state & 0xF`.
    public let signalling: Int
    public let isIncoming: Bool
    public let isHeld: Bool
    public let isHeldByPeer: Bool
    public let isWaiting: Bool
    public let isEnded: Bool

    public init(state: Int, msg: String = "", del: Bool = false) {
        self.state = state
        self.signalling = state & 0xF
        self.isIncoming = state & Self.incomingBit != 0
        self.isHeld = state & Self.heldBit != 0
        self.isHeldByPeer = state & Self.heldByPeerBit != 0
        self.isWaiting = state & Self.waitingBit != 0
        self.isEnded = del || msg == "del"
    }

    public var isOutgoing: Bool { !isIncoming }

    public var phase: Phase {
        if isEnded { return .ended }
        switch signalling {
        case 0: return .idle
        case 1, 2, 3: return .setup
        case 4: return .alerting
        case 5: return isHeld || isHeldByPeer ? .held : .connected
        case 6, 7: return .disconnecting
        case 8: return .parked
        default: return .idle
        }
    }
}

extension CallChange {
    /// A call as RCC reports it (`CallInfo`'s `call`, `state`, `msg`, `del`), as the engine
    /// consumes it: ringing is alerting, held is only the user's own hold (a call the peer holds,
    /// or a parked one, still shows the user on the phone, unless the user holds it too), and a
    /// disconnect already ends it.
    ///
    /// ```swift
    /// CallChange.rcc(call: 7, state: 133, msg: "x-conn")   // incoming, connected
    /// CallChange.rcc(call: 7, state: 389, msg: "update")   // incoming, held by the user
    /// ```
    public static func rcc(call: Int, state: Int, msg: String, del: Bool = false) -> CallChange {
        let decoded = RCCCallState(state: state, msg: msg, del: del)
        let phase: CallPhase = switch decoded.phase {
        case .idle, .setup: .setup
        case .alerting: .alerting
        case .connected: .connected
        case .held: decoded.isHeld ? .held : .connected
        case .parked: .held
        case .disconnecting, .ended: .ended
        }
        return CallChange(id: String(call), direction: decoded.isIncoming ? .incoming : .outgoing, phase: phase)
    }
}
