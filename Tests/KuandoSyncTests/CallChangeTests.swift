import Testing

@testable import KuandoSync

/// What the myApps phone app reports about a call (`com.innovaphone.phoneinfo`), as a call change.
@Suite struct CallChangeTests {
    /// Every `state` the SDK's phoneinfo page lists, as `CallUpdated` of an inbound call.
    @Test(
        "phoneinfo states",
        arguments: [
            ("Setup", CallPhase.setup), ("Dialing", .setup), ("Queued", .setup), ("Ringback", .alerting), ("Alerting", .alerting),
            ("Connected", .connected), ("Holding", .held), ("Held", .connected), ("Disconnected", .ended), ("connected", .connected),
            ("SomethingNew", .setup),
        ])
    func states(state: String, phase: CallPhase) {
        #expect(CallChange.phoneinfo(event: "CallUpdated", id: "1", dir: "i", state: state) == CallChange(id: "phone:1", direction: .incoming, phase: phase))
    }

    @Test("events and directions")
    func events() {
        #expect(CallChange.phoneinfo(event: "CallAdded", id: "7", dir: nil, state: nil) == CallChange(id: "phone:7", direction: .incoming, phase: .setup))
        #expect(CallChange.phoneinfo(event: "CallRemoved", id: "7", dir: "o", state: "Connected").phase == .ended)
        #expect(CallChange.phoneinfo(event: "CallUpdated", id: "7", dir: "o", state: "Ringback").direction == .outgoing)
    }
}
