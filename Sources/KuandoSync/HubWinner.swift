/// The single state the kuandoHUB currently shows: the winner of its platform priorities.
///
/// Read from the hub's `currentpresence` reply. All fields are optional because the hub
/// reports nothing when no source holds a state, and because replies differ between hub
/// versions; a missing sender means "nothing is running".
public struct HubWinner: Equatable, Hashable, Sendable, Codable {
    public var sender: String?
    public var eventType: String?
    public var eventName: String?

    public init(sender: String?, eventType: String?, eventName: String?) {
        self.sender = sender
        self.eventType = eventType
        self.eventName = eventName
    }

    /// No source holds a state.
    public static let none = HubWinner(sender: nil, eventType: nil, eventName: nil)

    public var isNone: Bool { (sender ?? "").isEmpty }

    /// `sender / eventtype / eventname`, as the seed's trace prints it.
    public var traceText: String {
        "\(sender ?? "") / \(eventType ?? "") / \(eventName ?? "")"
    }
}
