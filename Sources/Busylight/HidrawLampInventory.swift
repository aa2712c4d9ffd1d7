import Foundation

/// The kuando lamps on this Linux machine, found through sysfs and driven through hidraw.
///
/// ```swift
/// let inventory = HidrawLampInventory()
/// for lamp in await inventory.lamps() {
///     try await lamp.apply(.solid(.red))
/// }
/// ```
///
/// Every ``lamps()`` rescans `<sysRoot>/class/hidraw/*/device/uevent` for the USB ids of
/// ``BusylightModel`` (the Kuando Box included, devices in bootloader mode left out), so lamps
/// plugged in or removed are noticed without a restart. A lamp still present keeps its object
/// and its keep-alive; a removed lamp stops its keep-alive.
public actor HidrawLampInventory: LampInventory {
    /// The keep-alive cadence: Plenom's sample and the other drivers send one every 10 s, well
    /// inside the 15 s the keep-alive itself asks for (protocol notes B.3).
    public static let defaultKeepAliveInterval: Duration = .seconds(10)

    /// Where sysfs is mounted (tests pass a temporary directory).
    public nonisolated let sysRoot: String
    /// Where the `hidrawN` device files are.
    public nonisolated let devRoot: String
    public nonisolated let keepAliveInterval: Duration
    private let clock: LampClock
    private var known: [String: HidrawLamp] = [:]

    /// - Parameters:
    ///   - sysRoot: sysfs, `/sys` on a real system.
    ///   - devRoot: the directory holding `hidrawN`, `/dev` on a real system.
    ///   - clock: the clock keep-alives are timed on.
    ///   - keepAliveInterval: time from a lamp's last write to its next keep-alive.
    public init<C: Clock>(
        sysRoot: String = "/sys", devRoot: String = "/dev", clock: C = ContinuousClock(),
        keepAliveInterval: Duration = defaultKeepAliveInterval
    ) where C.Duration == Duration {
        self.sysRoot = sysRoot
        self.devRoot = devRoot
        self.clock = LampClock(clock)
        self.keepAliveInterval = keepAliveInterval
    }

    /// The lamps connected now, ordered by hidraw number. Rescans.
    public func lamps() async -> [any Lamp] {
        await hidrawLamps()
    }

    /// The lamps connected now as ``HidrawLamp``s, ordered by hidraw number. Rescans.
    public func hidrawLamps() async -> [HidrawLamp] {
        let found = scan().filter { $0.productID != BusylightModel.bootloader.productID }
        var current: [String: HidrawLamp] = [:]
        for info in found {
            if let lamp = known[info.path], lamp.info == info {
                current[info.path] = lamp
            } else {
                current[info.path] = HidrawLamp(info: info, clock: clock, keepAliveInterval: keepAliveInterval)
            }
        }
        let gone = known.filter { current[$0.key] !== $0.value }.values
        known = current
        for lamp in gone {
            await lamp.detach()
        }
        return found.compactMap { current[$0.path] }
    }

    /// Every kuando device in sysfs now, bootloader included, ordered by hidraw number.
    /// Reads only; does not change which lamps are driven.
    public nonisolated func scan() -> [LampInfo] {
        let classDirectory = sysRoot + "/class/hidraw"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: classDirectory)) ?? []
        return names.compactMap { name -> (Int, LampInfo)? in
            guard name.hasPrefix("hidraw"), let number = Int(name.dropFirst("hidraw".count)),
                let uevent = try? String(contentsOfFile: "\(classDirectory)/\(name)/device/uevent", encoding: .utf8),
                let model = Self.model(inUevent: uevent)
            else { return nil }
            return (number, LampInfo(path: "\(devRoot)/\(name)", model: model))
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }

    /// Why this process cannot write the lamp at `path`, or `nil` when it can.
    public nonisolated func accessProblem(path: String) -> HidrawLampError? {
        HidrawDevice(path: path).accessProblem()
    }

    /// The kuando model a hidraw device's `uevent` names in its `HID_ID=bus:vendor:product` line
    /// (e.g. `HID_ID=0003:000027BB:00003BCF`), or `nil` for any other device.
    static func model(inUevent uevent: String) -> BusylightModel? {
        for line in uevent.split(whereSeparator: \.isNewline) where line.hasPrefix("HID_ID=") {
            let fields = line.dropFirst("HID_ID=".count).split(separator: ":")
            guard fields.count == 3, let vendor = UInt32(fields[1], radix: 16),
                let product = UInt32(fields[2], radix: 16), vendor <= 0xFFFF, product <= 0xFFFF
            else { return nil }
            return BusylightModel(vendorID: UInt16(vendor), productID: UInt16(product))
        }
        return nil
    }
}
