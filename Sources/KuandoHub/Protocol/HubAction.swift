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
