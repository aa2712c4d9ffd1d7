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
