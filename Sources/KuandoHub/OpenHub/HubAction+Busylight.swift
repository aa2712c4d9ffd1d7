import Busylight

extension HubAction {
    /// What a lamp shows for this command; nil for commands that show nothing themselves.
    ///
    /// `Jingle` shows as `Alert` (the lamp has no "sound once" program); hub sounds and volumes
    /// are translated with ``HubSound``.
    public var lampEffect: BusylightEffect? {
        switch self {
        case .light(let color), .startNotification(let color):
            return .solid(color)
        case .alert(let color, let sound, let volume), .jingle(let color, let sound, let volume):
            return .alert(color, tone: HubSound.deviceTone(sound), volume: HubSound.deviceVolume(volume))
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

/// The hub's sound and volume numbers, translated to the device's.
///
/// The hub lists sounds 0 None, 1 Fairy Tale, 2 Funky, 3 Kuando Train, 4 Open Office, 5 Quiet,
/// 6 Telephone Nordic, 7 Telephone Original, 8 Telephone Pick Me Up; the device numbers the
/// same tones differently (protocol notes B.4). How the hub maps its volumes 0–100 to the
/// device's 0–7 is not published; the steps here follow Plenom's WebHID sample names
/// (Low 2, Middle 3, High 5, Max 6).
public enum HubSound {
    /// Device tone for a hub sound; 0 (silent) for numbers outside the hub's list.
    public static func deviceTone(_ hubSound: Int) -> UInt8 {
        let tones: [UInt8] = [0, 4, 3, 5, 1, 2, 6, 7, 8]
        return tones.indices.contains(hubSound) ? tones[hubSound] : 0
    }

    /// Device volume 0–7 for a hub volume 0–100.
    public static func deviceVolume(_ hubVolume: Int) -> UInt8 {
        switch hubVolume {
        case ...0: 0
        case 1...25: 2
        case 26...50: 3
        case 51...75: 5
        default: 6
        }
    }
}
