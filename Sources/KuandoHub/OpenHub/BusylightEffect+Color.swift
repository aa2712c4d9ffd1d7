import Busylight

extension BusylightEffect {
    /// The main colour of the effect; nil when dark.
    var color: BusylightColor? {
        switch self {
        case .solid(let color), .blink(let color, _, _), .pulse(let color), .alert(let color, _, _),
            .colorWithFlash(let color, _):
            color
        case .off: nil
        }
    }
}
