/// The device's own tones (protocol notes B.4) and the translation from the hub's numbering.
///
/// The kuandoHUB numbers its sounds 0–8 (0 none, 1 Fairy Tale, 2 Funky, 3 Kuando Train, 4 Open
/// Office, 5 Quiet, 6 Telephone Nordic, 7 Telephone Original, 8 Telephone Pick Me Up) and its
/// volumes 0–100; the lamp numbers the same tones differently and has a 3-bit volume.
///
/// ```swift
/// BusylightSound.deviceTone(forHubSound: 3)      // 5: Kuando Train
/// BusylightSound.deviceVolume(forHubVolume: 75)  // 5
/// BusylightEffect.alert(red, hubSound: 3, hubVolume: 75)  // .alert(red, tone: 5, volume: 5)
/// ```
public enum BusylightSound: UInt8, CaseIterable, Sendable {
    case openOffice = 1
    case quiet = 2
    case funky = 3
    case fairyTale = 4
    case kuandoTrain = 5
    case telephoneNordic = 6
    case telephoneOriginal = 7
    case telephonePickMeUp = 8
    case instantMessage1 = 9
    case instantMessage2 = 10
    case buzz = 11

    /// The device tone number, 1–11.
    public var deviceTone: UInt8 { rawValue }

    /// The name Plenom's software gives the tone.
    public var name: String {
        switch self {
        case .openOffice: "Open Office"
        case .quiet: "Quiet"
        case .funky: "Funky"
        case .fairyTale: "Fairy Tale"
        case .kuandoTrain: "Kuando Train"
        case .telephoneNordic: "Telephone Nordic"
        case .telephoneOriginal: "Telephone Original"
        case .telephonePickMeUp: "Telephone Pick Me Up"
        case .instantMessage1: "IM1"
        case .instantMessage2: "IM2"
        case .buzz: "Buzz"
        }
    }

    /// The hub's sound numbers 1–8, in the hub's order (A.2); index 0 is the hub's "none".
    static let byHubSound: [BusylightSound?] = [
        nil, .fairyTale, .funky, .kuandoTrain, .openOffice, .quiet,
        .telephoneNordic, .telephoneOriginal, .telephonePickMeUp,
    ]

    /// The tone for a hub sound number, or `nil` for 0 ("none") and numbers the hub does not define.
    public init?(hubSound: Int) {
        guard Self.byHubSound.indices.contains(hubSound), let sound = Self.byHubSound[hubSound] else { return nil }
        self = sound
    }

    /// The hub's number for this tone, or `nil` for the tones the hub does not offer (IM1, IM2, Buzz).
    public var hubSound: Int? {
        Self.byHubSound.firstIndex(of: self)
    }

    /// The device tone (1–8) for a hub sound number; `nil` for 0 ("none") and numbers outside 0–8.
    public static func deviceTone(forHubSound hubSound: Int) -> UInt8? {
        BusylightSound(hubSound: hubSound)?.deviceTone
    }

    /// The hub's volumes and the 3-bit device volume each stands for.
    ///
    /// How kuandoHUB maps its volumes is not published (protocol notes B.4). This table is the
    /// notes' **inference** from the names in Plenom's WebHID sample (Mute 0, Low 2, Middle 3,
    /// High 5, Max 6): 0 → 0, 25 → 2, 50 → 3, 75 → 5, 100 → 6. Device volume 7 is never used.
    public static let hubVolumeTable: [(hubVolume: Int, deviceVolume: UInt8)] = [
        (0, 0), (25, 2), (50, 3), (75, 5), (100, 6),
    ]

    /// The device volume (0–7) for a hub volume: the entry of ``hubVolumeTable`` nearest to
    /// `hubVolume`, which is first clamped to 0–100 (so 60 → 3, 70 → 5, 250 → 6).
    public static func deviceVolume(forHubVolume hubVolume: Int) -> UInt8 {
        let volume = min(max(hubVolume, 0), 100)
        let nearest = hubVolumeTable.min { abs($0.hubVolume - volume) < abs($1.hubVolume - volume) }
        return nearest?.deviceVolume ?? 0
    }

    /// The audio setting for a hub sound and volume: ``BusylightAudio/stop`` when the sound is
    /// "none" (or undefined) or the volume maps to 0.
    public static func audio(hubSound: Int, hubVolume: Int) -> BusylightAudio {
        let volume = deviceVolume(forHubVolume: hubVolume)
        guard let tone = deviceTone(forHubSound: hubSound), volume > 0 else { return .stop }
        return BusylightAudio(tone: tone, volume: volume)
    }
}
