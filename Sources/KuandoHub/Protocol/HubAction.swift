import Busylight

/// One command of the kuandoHUB HTTP API with its parameters, whichever way it travels.
///
/// Colours are the hub's 0–100 per channel (``BusylightColor`` clamps anything higher); sounds
/// use the hub's list (0 none, 1 Fairy Tale … 8 Telephone Pick Me Up) and volumes 0–100;
/// blink times are tenths of a second.
public enum HubAction: Equatable, Sendable {
    case light(BusylightColor)
    case alert(BusylightColor, sound: Int, volume: Int)
    case blink(BusylightColor, onTime: Int, offTime: Int)
    case jingle(BusylightColor, sound: Int, volume: Int)
    case pulse(BusylightColor)
    case colorWithFlash(BusylightColor, flash: BusylightColor)
    /// Releases the sender's state (the hub then shows the next source down the priorities).
    case off
    /// Clears everything the sender asked for; sent when a client exits.
    case logout
    /// GET only: drives the hub's built-in `kuando TIMER` source.
    case kuandoTimer(KuandoTimerCommand)
    /// POST only: announces a data source and the event names it will send.
    case registerDataSource(HubDataSource)
    /// POST only: adds a priority line for a data source unless it has one.
    case createInitialPriority(HubPriorityLine)
    /// POST only: a notification colour shown over whatever the priorities pick.
    case startNotification(BusylightColor)
    /// POST only: ends the notification with the same sender, event type and event name.
    case stopNotification
    case currentPresence
    case busylightDevices

    public var name: HubActionName {
        switch self {
        case .light: .light
        case .alert: .alert
        case .blink: .blink
        case .jingle: .jingle
        case .pulse: .pulse
        case .colorWithFlash: .colorWithFlash
        case .off: .off
        case .logout: .logout
        case .kuandoTimer: .kuandoTimer
        case .registerDataSource: .registerDataSource
        case .createInitialPriority: .createInitialPriority
        case .startNotification: .startNotification
        case .stopNotification: .stopNotification
        case .currentPresence: .currentPresence
        case .busylightDevices: .busylightDevices
        }
    }

    /// The colour this action lights, if it lights one.
    public var color: BusylightColor? {
        switch self {
        case .light(let color), .alert(let color, _, _), .blink(let color, _, _), .jingle(let color, _, _),
            .pulse(let color), .colorWithFlash(let color, _), .startNotification(let color):
            color
        case .off, .logout, .kuandoTimer, .registerDataSource, .createInitialPriority, .stopNotification,
            .currentPresence, .busylightDevices:
            nil
        }
    }
}

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

/// The commands of the hub's built-in `kuando TIMER` (GET `action=kuandoTimer&command=…`).
public enum KuandoTimerCommand: String, CaseIterable, Sendable {
    case start, stop, pause
    /// "continue", spelt as the manual spells it.
    case mcontinue
    case reset
}
