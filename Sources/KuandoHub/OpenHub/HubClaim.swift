/// One data source's request for a lamp state (or a notification) on the open hub.
public struct HubClaim: Equatable, Sendable {
    public var sender: String
    public var eventType: String?
    public var eventName: String?
    public var action: HubAction
    /// The lamp it is meant for; nil for every lamp.
    public var path: String?
    /// The parameters as `currentpresence` reports them.
    public var parameter: HubJSON?
    /// Order of arrival; newer is higher.
    public var sequence: Int

    func isSameEvent(sender: String, _ request: HubRequest) -> Bool {
        self.sender == sender && eventType == request.eventType && eventName == request.eventName
    }
}
