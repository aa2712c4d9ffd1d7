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
