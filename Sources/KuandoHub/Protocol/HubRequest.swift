import Busylight

/// A request to the kuandoHUB: the command and who sends it.
///
/// GET requests carry no sender (the hub books them under its built-in `HTTP` source); POST
/// requests name their data source, event type and event name, which the hub's priorities rank.
/// The wire forms are written and read only in `HubRequest+GET.swift` and
/// `HubRequest+POST.swift`, which the client and the open hub share.
///
/// ```swift
/// let request = HubRequest(.light(.red), sender: "innovaphone myApps",
///                          eventType: "Call", eventName: "Ringing")
/// request.postBody // {"action":"Light","eventname":"Ringing",…,"parameter":"{\"BlueRgbValue\":0,…}",…}
/// ```
public struct HubRequest: Equatable, Sendable {
    public var action: HubAction
    public var sender: String?
    public var eventType: String?
    public var eventName: String?
    /// A lamp's `HIDDevicePath`, to address one lamp instead of all.
    public var path: String?

    public init(
        _ action: HubAction, sender: String? = nil, eventType: String? = nil, eventName: String? = nil,
        path: String? = nil
    ) {
        self.action = action
        self.sender = sender
        self.eventType = eventType
        self.eventName = eventName
        self.path = path
    }
}
