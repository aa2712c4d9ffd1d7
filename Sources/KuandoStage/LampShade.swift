import Busylight

/// What a lamp shows, for a person: its colour as `#RRGGBB` (the lamp's 0–100 channels scaled
/// to 0–255) and the effect's name, drawn as a 24-bit ANSI colour block on a terminal.
public struct LampShade: Equatable, Sendable {
    var red: Int
    var green: Int
    var blue: Int
    /// `solid`, `blink`, `pulse`, `alert`, `flash` or `off`.
    var effect: String

    public init(_ snapshot: SimulatedLampSnapshot) {
        let effect = snapshot.effect ?? .off
        let color = effect.showsAnything ? effect.color : .off
        red = Self.scale(color.red)
        green = Self.scale(color.green)
        blue = Self.scale(color.blue)
        self.effect = effect.showsAnything ? Self.name(of: effect) : "off"
    }

    private static func name(of effect: BusylightEffect) -> String {
        switch effect {
        case .solid: "solid"
        case .blink: "blink"
        case .pulse: "pulse"
        case .alert: "alert"
        case .colorWithFlash: "flash"
        case .off: "off"
        }
    }

    /// `#FF0000 blink`.
    public var text: String { "\(hex) \(effect)" }

    var hex: String {
        "#" + [red, green, blue].map { channel in
            let digits = String(channel, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Two cells in the lamp's colour (24-bit background), or a dim dot pair when it is dark.
    public var block: String {
        effect == "off" ? "\u{1B}[2m··\u{1B}[0m" : "\u{1B}[48;2;\(red);\(green);\(blue)m  \u{1B}[0m"
    }

    /// 0–100 → 0–255, rounded to nearest.
    static func scale(_ percent: UInt8) -> Int {
        (Int(percent) * 255 + 50) / 100
    }
}
