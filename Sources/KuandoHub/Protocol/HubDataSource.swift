/// A data source as `RegisterDataSource` announces it: a name and, per event type, the event
/// names it will send.
///
/// On the wire (inside POST `parameter`):
/// `{"DataSourceName":"SDK","eventnames":{"Light":{"EventNames":["Green","Red"],"IsAlertPriority":false}}}`.
public struct HubDataSource: Equatable, Sendable, Codable {
    public var name: String
    /// Event names keyed by event type.
    public var eventTypes: [String: HubEventTypeNames]

    public init(name: String, eventTypes: [String: HubEventTypeNames] = [:]) {
        self.name = name
        self.eventTypes = eventTypes
    }
}

/// The event names of one event type of a data source.
public struct HubEventTypeNames: Equatable, Sendable, Codable {
    public var eventNames: [String]
    /// The manual's flag for alert-like events (calls, notifications).
    public var isAlertPriority: Bool

    public init(eventNames: [String], isAlertPriority: Bool = false) {
        self.eventNames = eventNames
        self.isAlertPriority = isAlertPriority
    }
}

/// One line of the hub's platform priorities: whose states it ranks, and whether it is on.
///
/// Lines are ordered, highest priority first. A line with no event type covers every event
/// type of its sender; one with no event names covers every event name.
/// On the wire (`CreateInitialPriority`'s `parameter`):
/// `{"enabled":true,"sender":"SDK","eventtype":null,"eventnames":[],"IsAlertPriority":false}`.
public struct HubPriorityLine: Equatable, Sendable, Codable {
    public var sender: String
    public var eventType: String?
    public var eventNames: [String]
    public var enabled: Bool
    public var isAlertPriority: Bool

    public init(
        sender: String, eventType: String? = nil, eventNames: [String] = [], enabled: Bool = true,
        isAlertPriority: Bool = false
    ) {
        self.sender = sender
        self.eventType = eventType
        self.eventNames = eventNames
        self.enabled = enabled
        self.isAlertPriority = isAlertPriority
    }

    /// True when this line ranks the state `sender` holds under `eventType`/`eventName`.
    public func covers(sender: String, eventType: String?, eventName: String?) -> Bool {
        guard enabled, self.sender == sender else { return false }
        if let wantedType = self.eventType, wantedType != eventType { return false }
        if !eventNames.isEmpty, !eventNames.contains(where: { $0 == eventName }) { return false }
        return true
    }
}
