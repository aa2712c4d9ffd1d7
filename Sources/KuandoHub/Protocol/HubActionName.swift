/// The names of the hub's commands, as GET `action=` and as POST `"action"`.
///
/// The manual spells GET actions in lower case (except `Logout` and `kuandoTimer`) and POST
/// actions capitalised; the hub compares them without regard to case, and so do we.
public enum HubActionName: String, CaseIterable, Sendable {
    case light, alert, blink, jingle, pulse, colorWithFlash, off, logout, kuandoTimer
    case registerDataSource, createInitialPriority, startNotification, stopNotification
    case currentPresence, busylightDevices

    /// The spelling in the manual's GET examples; nil for commands only POST carries.
    public var getName: String? {
        switch self {
        case .light: "light"
        case .alert: "alert"
        case .blink: "blink"
        case .jingle: "jingle"
        case .pulse: "pulse"
        case .colorWithFlash: "colorwithflash"
        case .off: "off"
        case .logout: "Logout"
        case .kuandoTimer: "kuandoTimer"
        case .currentPresence: "currentpresence"
        case .busylightDevices: "busylightdevices"
        case .registerDataSource, .createInitialPriority, .startNotification, .stopNotification: nil
        }
    }

    /// The spelling in the manual's POST examples; nil for commands only GET carries.
    public var postName: String? {
        switch self {
        case .light: "Light"
        case .alert: "Alert"
        case .blink: "Blink"
        case .jingle: "Jingle"
        case .pulse: "Pulse"
        case .colorWithFlash: "ColorWithFlash"
        case .off: "Off"
        case .logout: "Logout"
        case .registerDataSource: "RegisterDataSource"
        case .createInitialPriority: "CreateInitialPriority"
        case .startNotification: "StartNotification"
        case .stopNotification: "StopNotification"
        case .currentPresence: "currentpresence"
        case .busylightDevices: "busylightdevices"
        case .kuandoTimer: nil
        }
    }

    /// The GET action named `text`, any case; `colorswithflash` (a spelling seen in clients) is accepted.
    public init?(getName text: String) {
        let wanted = text.lowercased()
        if wanted == "colorswithflash" {
            self = .colorWithFlash
            return
        }
        guard let found = HubActionName.allCases.first(where: { $0.getName?.lowercased() == wanted }) else { return nil }
        self = found
    }

    /// The POST action named `text`, any case.
    public init?(postName text: String) {
        let wanted = text.lowercased()
        guard let found = HubActionName.allCases.first(where: { $0.postName?.lowercased() == wanted }) else { return nil }
        self = found
    }

    /// True for commands that drive a lamp: the hub answers 404 to them when no Busylight is connected.
    public var needsLamp: Bool {
        switch self {
        case .light, .alert, .blink, .jingle, .pulse, .colorWithFlash, .kuandoTimer, .startNotification: true
        case .off, .logout, .registerDataSource, .createInitialPriority, .stopNotification, .currentPresence,
            .busylightDevices:
            false
        }
    }
}
