extension BusylightReport {
    /// The program that shows `effect`.
    ///
    /// Every program's step 0 sets the audio, so a tone from an earlier alert stops unless the new
    /// effect is an alert itself. The shapes follow Plenom's own WebHID sample where it has one:
    ///
    /// | effect | program |
    /// |---|---|
    /// | `solid(c)` | one step looping on itself: `10 00 c 00 00 80` |
    /// | `off` | `solid(.off)` |
    /// | `blink(c, on, off)` | `10 00 c on off 80` |
    /// | `alert(c, tone, volume)` | the colour flashing 0.3 s on / 0.5 s off with the tone: `10 00 c 03 05 <audio>` |
    /// | `pulse(c)` | seven steps of 0.2 s, brightness 10, 35, 70, 100, 70, 35, 10 % of `c`, each jumping to the next |
    /// | `colorWithFlash(c, f)` | `f` for 0.5 s, then `c` for 3 s, and again |
    public init(effect: BusylightEffect) {
        switch effect {
        case .solid(let color):
            self.init(steps: [BusylightStep(command: .jump(to: 0), color: color, audio: .stop)])
        case .off:
            self.init(effect: .solid(.off))
        case .blink(let color, let onTime, let offTime):
            self.init(steps: [
                BusylightStep(command: .jump(to: 0), color: color, onTime: onTime, offTime: offTime, audio: .stop),
            ])
        case .alert(let color, let tone, let volume):
            self.init(steps: [
                BusylightStep(
                    command: .jump(to: 0), color: color,
                    onTime: Self.alertOnTime, offTime: Self.alertOffTime,
                    audio: BusylightAudio(tone: tone, volume: volume)),
            ])
        case .pulse(let color):
            let count = Self.pulseLevels.count
            self.init(steps: Self.pulseLevels.enumerated().map { index, level in
                BusylightStep(
                    command: .jump(to: UInt8((index + 1) % count)), repeatCount: 1,
                    color: Self.scaled(color, percent: level), onTime: Self.pulseStepTime,
                    audio: index == 0 ? .stop : nil)
            })
        case .colorWithFlash(let color, let flash):
            self.init(steps: [
                BusylightStep(command: .jump(to: 1), repeatCount: 1, color: flash, onTime: Self.flashTime, audio: .stop),
                BusylightStep(command: .jump(to: 0), repeatCount: 1, color: color, onTime: Self.flashColorTime),
            ])
        }
    }

    /// Brightness of the pulse's seven steps, in % of the colour.
    static let pulseLevels = [10, 35, 70, 100, 70, 35, 10]
    /// Each pulse step lasts 0.2 s, so one pulse takes 1.4 s.
    static let pulseStepTime: UInt8 = 2
    /// Alert flashing, as Plenom's WebHID sample: 0.3 s on, 0.5 s off.
    static let alertOnTime: UInt8 = 3
    static let alertOffTime: UInt8 = 5
    /// Colour-with-flash: the flash shows 0.5 s, the colour 3 s.
    static let flashTime: UInt8 = 5
    static let flashColorTime: UInt8 = 30

    /// `color` at `percent` % brightness, rounded.
    static func scaled(_ color: BusylightColor, percent: Int) -> BusylightColor {
        func scale(_ channel: UInt8) -> Int { (Int(channel) * percent + 50) / 100 }
        return BusylightColor(red: scale(color.red), green: scale(color.green), blue: scale(color.blue))
    }
}

extension BusylightEffect {
    /// The effect whose program ``BusylightReport/init(effect:)`` is exactly `report`'s program, or
    /// `nil` when the report runs some other program (a keep-alive, a hand-made program).
    ///
    /// Where two effects share one program, the simpler one is named: `solid(.off)` is ``off``,
    /// `blink(c, 0, 0)` is `solid(c)`, an `alert` with tone 0 at volume 0 is `blink(c, 3, 5)`.
    /// The footer is not compared.
    public init?(recognizing report: BusylightReport) {
        guard let first = report.steps.first else { return nil }
        let candidate: BusylightEffect
        switch report.steps.count {
        case 1 where first.audio == .stop && first.onTime == 0 && first.offTime == 0:
            candidate = first.color == .off ? .off : .solid(first.color)
        case 1 where first.audio == .stop:
            candidate = .blink(first.color, onTime: first.onTime, offTime: first.offTime)
        case 1:
            guard let audio = first.audio else { return nil }
            candidate = .alert(first.color, tone: audio.tone, volume: audio.volume)
        case 2:
            candidate = .colorWithFlash(report.steps[1].color, flash: first.color)
        case BusylightReport.pulseLevels.count:
            let peak = BusylightReport.pulseLevels.firstIndex(of: 100) ?? 0
            candidate = .pulse(report.steps[peak].color)
        default:
            return nil
        }
        guard BusylightReport(effect: candidate).steps == report.steps else { return nil }
        self = candidate
    }

    /// The effect's main colour (for a flash: the steady colour); black for ``off``.
    public var color: BusylightColor {
        switch self {
        case .solid(let color), .blink(let color, _, _), .pulse(let color), .alert(let color, _, _),
            .colorWithFlash(let color, _):
            color
        case .off:
            .off
        }
    }

    /// Whether the lamp shows or plays anything; only then does it need keep-alives.
    public var showsAnything: Bool {
        switch self {
        case .off: false
        case .solid(let color), .blink(let color, _, _), .pulse(let color): color != .off
        case .alert(let color, _, let volume): color != .off || volume > 0
        case .colorWithFlash(let color, let flash): color != .off || flash != .off
        }
    }
}
