/// A colour in the lamp's own scale: each channel 0–100 (% PWM on-time).
public struct BusylightColor: Equatable, Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    /// A colour from 0–100 values; anything above 100 is sent as 100.
    public init(red: Int, green: Int, blue: Int) {
        func clamp(_ value: Int) -> UInt8 { UInt8(min(max(value, 0), 100)) }
        self.red = clamp(red)
        self.green = clamp(green)
        self.blue = clamp(blue)
    }

    /// A colour from 0–255 values, scaled to 0–100.
    public init(red255: UInt8, green255: UInt8, blue255: UInt8) {
        func scale(_ value: UInt8) -> Int { (Int(value) * 100 + 127) / 255 }
        self.init(red: scale(red255), green: scale(green255), blue: scale(blue255))
    }

    public static let off = BusylightColor(red: 0, green: 0, blue: 0)
    /// Each at full brightness.
    public static let red = BusylightColor(red: 100, green: 0, blue: 0)
    public static let green = BusylightColor(red: 0, green: 100, blue: 0)
    public static let blue = BusylightColor(red: 0, green: 0, blue: 100)
}

/// What a lamp is asked to show, in the terms of the hub's actions.
///
/// Tones and volumes here are the **device's** numbers (tone 0–15, volume 0–7); translating
/// the hub's sound list and volumes is the job of the tables in this module.
public enum BusylightEffect: Equatable, Hashable, Sendable {
    case solid(BusylightColor)
    case off
    /// `onTime`/`offTime` in tenths of a second.
    case blink(BusylightColor, onTime: UInt8, offTime: UInt8)
    case pulse(BusylightColor)
    case alert(BusylightColor, tone: UInt8, volume: UInt8)
    case colorWithFlash(BusylightColor, flash: BusylightColor)
}

/// Which lamp: the hidraw path (the hub's `HIDDevicePath`) and its model name
/// (``BusylightModel/name``, from the USB product id).
public struct LampInfo: Equatable, Hashable, Sendable {
    public var path: String
    public var vendorID: UInt16
    public var productID: UInt16
    public var model: String

    public init(path: String, vendorID: UInt16, productID: UInt16, model: String) {
        self.path = path
        self.vendorID = vendorID
        self.productID = productID
        self.model = model
    }
}

/// A kuando Busylight that can be driven: a real one over Linux hidraw, or the simulated one.
/// Nothing outside this module knows how a lamp is reached.
public protocol Lamp: Sendable {
    var info: LampInfo { get }
    /// Shows `effect` until told otherwise; the lamp is kept alive meanwhile.
    ///
    /// Throws when the lamp cannot be reached (unplugged, no permission); the error's description
    /// says what to do. The lamp's previous effect is then unknown.
    func apply(_ effect: BusylightEffect) async throws
    /// Switches the lamp dark and stops keeping it alive: for shutdown (the hub's `Logout`).
    /// Never throws; a lamp that is already gone is simply left alone.
    func stop() async
}

extension Lamp {
    /// By default stopping is applying ``BusylightEffect/off`` and ignoring a lamp that is gone.
    public func stop() async {
        try? await apply(.off)
    }
}

/// The lamps connected now; implementations rescan, so lamps plugged in later appear.
public protocol LampInventory: Sendable {
    func lamps() async -> [any Lamp]
}
