/// Direction of a PBX call, seen from the monitored user.
public enum CallDirection: String, Codable, Sendable {
    case incoming
    case outgoing
}

/// Where a PBX call stands, reduced to what the lamp and the presence care about.
public enum CallPhase: String, Codable, Sendable {
    /// Being set up: dialling, call proceeding (outgoing) or offered but not yet ringing.
    case setup
    /// Ringing: at the user's phone (incoming) or at the peer's (outgoing, ringback).
    case alerting
    /// Talking.
    case connected
    /// Put on hold by the user.
    case held
    /// Gone (RCC `msg == "del"`, or disconnected).
    case ended
}

/// One change of one PBX call, as the engine consumes it.
public struct CallChange: Equatable, Sendable {
    /// The PBX's call handle, unique per user for the call's lifetime.
    public var id: String
    public var direction: CallDirection
    public var phase: CallPhase

    public init(id: String, direction: CallDirection, phase: CallPhase) {
        self.id = id
        self.direction = direction
        self.phase = phase
    }
}

extension CallChange {
    /// A call as the myApps phone app reports it through `com.innovaphone.phoneinfo`: its event
    /// (`CallAdded`, `CallUpdated`, `CallRemoved`), `dir` (`"o"` outbound, else inbound) and
    /// `state`. `Holding` (the user holds) is held; `Held` (the peer holds) is still a call the
    /// user is on, as with RCC. Unknown states count as being set up.
    public static func phoneinfo(event: String, id: String, dir: String?, state: String?) -> CallChange {
        let direction: CallDirection = dir == "o" ? .outgoing : .incoming
        let phase: CallPhase = switch (event, state?.lowercased() ?? "") {
        case ("CallRemoved", _), (_, "disconnected"): .ended
        case (_, "alerting"), (_, "ringback"): .alerting
        case (_, "connected"), (_, "held"): .connected
        case (_, "holding"): .held
        default: .setup
        }
        return CallChange(id: "phone:\(id)", direction: direction, phase: phase)
    }
}
