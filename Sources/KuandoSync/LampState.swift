/// What the connector shows on the hub as its own data source: a call state or a presence.
///
/// Each state is one event of the data source the connector registers with the hub, so the
/// user can rank them in the hub's platform priorities (calls above presences, as the seed
/// recommends). `free` is never claimed in normal operation, the connector releases its claim
/// instead so lower-priority sources (the hub's default green) show; it exists for the lamp test.
public enum LampState: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case ringing
    case onthephone
    case held
    case busy
    case away
    case dnd
    case lunch
    case free

    /// The hub event type this state is registered under: `Call` or `Presence`.
    public var hubEventType: String {
        switch self {
        case .ringing, .onthephone, .held: LampState.callEventType
        case .busy, .away, .dnd, .lunch, .free: LampState.presenceEventType
        }
    }

    /// The hub event name, as the user sees it in the hub's priority list.
    public var hubEventName: String {
        switch self {
        case .ringing: "Ringing"
        case .onthephone: "On the phone"
        case .held: "Held"
        case .busy: "Busy"
        case .away: "Away"
        case .dnd: "DND"
        case .lunch: "Lunch"
        case .free: "Available"
        }
    }

    public static let callEventType = "Call"
    public static let presenceEventType = "Presence"

    /// Event names per event type, as sent in `RegisterDataSource`.
    public static var hubEventNames: [String: [String]] {
        Dictionary(grouping: allCases, by: \.hubEventType).mapValues { $0.map(\.hubEventName) }
    }

    /// The lamp state that shows a presence (`onthephone` shows as a call).
    public init(_ presence: PresenceState) {
        switch presence {
        case .free: self = .free
        case .busy: self = .busy
        case .away: self = .away
        case .dnd: self = .dnd
        case .onthephone: self = .onthephone
        case .lunch: self = .lunch
        }
    }

    /// The state registered under this hub event type and name, if it is one of ours.
    public init?(hubEventType: String?, hubEventName: String?) {
        guard let found = LampState.allCases.first(where: {
            $0.hubEventType == hubEventType && $0.hubEventName == hubEventName
        }) else { return nil }
        self = found
    }
}
