import Busylight

extension HubAction {
    /// What a lamp shows for this command; nil for commands that show nothing themselves.
    ///
    /// `Jingle` shows as `Alert` (the lamp has no "sound once" program); hub sounds and volumes
    /// are translated with Busylight's ``BusylightSound`` tables.
    public var lampEffect: BusylightEffect? {
        switch self {
        case .light(let color), .startNotification(let color):
            return .solid(color)
        case .alert(let color, let sound, let volume), .jingle(let color, let sound, let volume):
            return .alert(color, hubSound: sound, hubVolume: volume)
        case .blink(let color, let onTime, let offTime):
            return .blink(color, onTime: UInt8(clamping: onTime), offTime: UInt8(clamping: offTime))
        case .pulse(let color):
            return .pulse(color)
        case .colorWithFlash(let color, let flash):
            return .colorWithFlash(color, flash: flash)
        case .off, .logout, .kuandoTimer, .registerDataSource, .createInitialPriority, .stopNotification,
            .currentPresence, .busylightDevices:
            return nil
        }
    }
}
