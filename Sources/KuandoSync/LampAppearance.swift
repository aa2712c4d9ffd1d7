/// A colour as the user picks it: 8 bits per channel, written `#RRGGBB` in configuration.
///
/// The hub and the lamp take 0–100 per channel; ``percent`` converts.
public struct LampColor: Equatable, Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `#RRGGBB` (the `#` is optional, case does not matter).
    public init?(hex: String) {
        var digits = Substring(hex)
        if digits.hasPrefix("#") { digits = digits.dropFirst() }
        guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else {
            return nil
        }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `#RRGGBB`, upper case.
    public var hex: String {
        "#" + [red, green, blue].map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The colour in the hub's and the lamp's scale: each channel 0–100, rounded.
    public var percent: (red: Int, green: Int, blue: Int) {
        (Self.percent(red), Self.percent(green), Self.percent(blue))
    }

    /// 0–255 → 0–100, rounded to nearest.
    public static func percent(_ channel: UInt8) -> Int {
        (Int(channel) * 100 + 127) / 255
    }

    public static let red = LampColor(red: 255, green: 0, blue: 0)
    public static let green = LampColor(red: 0, green: 255, blue: 0)
    public static let yellow = LampColor(red: 255, green: 180, blue: 0)
    public static let orange = LampColor(red: 255, green: 100, blue: 0)
    public static let purple = LampColor(red: 160, green: 0, blue: 255)
    public static let black = LampColor(red: 0, green: 0, blue: 0)
}

extension LampColor: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let color = LampColor(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a colour; write it as #RRGGBB, e.g. #FF0000")
        }
        self = color
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// How the lamp shows a state.
public enum LampEffect: String, CaseIterable, Codable, Sendable {
    case solid
    case blink
    case pulse
    /// Dark: the state is claimed, but the lamp shows nothing.
    case off
}

/// Colour, effect and ring sound for one ``LampState``.
///
/// Sounds use the **hub's** numbering (0 none, 1 Fairy Tale … 8 Telephone Pick Me Up) and
/// volumes the hub's 0–100; the Busylight driver translates both to the device's own values.
public struct LampAppearance: Equatable, Hashable, Sendable, Codable {
    public var color: LampColor
    public var effect: LampEffect
    /// Hub sound number 0–8; 0 is silent.
    public var sound: Int
    /// Hub volume 0–100 (the hub offers 0, 25, 50, 75, 100).
    public var volume: Int
    /// Blink on-time in tenths of a second (1–255).
    public var onTime: Int
    /// Blink off-time in tenths of a second (1–255).
    public var offTime: Int

    public init(
        color: LampColor, effect: LampEffect = .solid, sound: Int = 0, volume: Int = 0,
        onTime: Int = 5, offTime: Int = 5
    ) {
        self.color = color
        self.effect = effect
        self.sound = sound
        self.volume = volume
        self.onTime = onTime
        self.offTime = offTime
    }

    /// Hub sound numbers, as the hub's manual lists them.
    public static let hubSoundNames = [
        "None", "Fairy Tale", "Funky", "Kuando Train", "Open Office", "Quiet",
        "Telephone Nordic", "Telephone Original", "Telephone Pick Me Up",
    ]

    /// The problems with this appearance, each naming its field under `prefix`.
    public func problems(at prefix: String) -> [ConfigProblem] {
        var found: [ConfigProblem] = []
        if !LampAppearance.hubSoundNames.indices.contains(sound) {
            found.append(ConfigProblem(field: "\(prefix).sound", message: "must be 0–8 (0 is silent), got \(sound)"))
        }
        if !(0...100).contains(volume) {
            found.append(ConfigProblem(field: "\(prefix).volume", message: "must be 0–100, got \(volume)"))
        }
        for (name, value) in [("onTime", onTime), ("offTime", offTime)] where !(1...255).contains(value) {
            found.append(ConfigProblem(
                field: "\(prefix).\(name)", message: "must be 1–255 tenths of a second, got \(value)"))
        }
        return found
    }
}
