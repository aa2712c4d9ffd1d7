import Foundation

/// A fake `/sys` and `/dev` in a temporary directory: `plug` makes
/// `sys/class/hidraw/hidrawN/device/uevent` and an empty regular file `dev/hidrawN` that collects
/// what the driver writes.
final class FakeHidrawTree {
    let root: String
    var sysRoot: String { root + "/sys" }
    var devRoot: String { root + "/dev" }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("busylight-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/sys/class/hidraw", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/dev", withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Plugs in a device whose uevent has `HID_ID=0003:0000VVVV:0000PPPP`.
    func plug(_ number: Int, vendor: UInt16, product: UInt16) throws {
        let hidID = String(format: "0003:%08X:%08X", vendor, product)
        let device = "\(sysRoot)/class/hidraw/hidraw\(number)/device"
        try FileManager.default.createDirectory(atPath: device, withIntermediateDirectories: true)
        let uevent = "DRIVER=hid-generic\nHID_ID=\(hidID)\nHID_NAME=PLENOM APS BUSYLIGHT\nHID_PHYS=usb-0000:00:14.0-1/input0\n"
        try uevent.write(toFile: device + "/uevent", atomically: true, encoding: .utf8)
        try Data().write(to: URL(fileURLWithPath: devicePath(number)))
    }

    /// Removes the device from both trees.
    func unplug(_ number: Int) throws {
        try FileManager.default.removeItem(atPath: "\(sysRoot)/class/hidraw/hidraw\(number)")
        try FileManager.default.removeItem(atPath: devicePath(number))
    }

    func devicePath(_ number: Int) -> String { "\(devRoot)/hidraw\(number)" }

    /// Everything written to `hidrawN` so far.
    func written(_ number: Int) -> [UInt8] {
        FileManager.default.contents(atPath: devicePath(number)).map { [UInt8]($0) } ?? []
    }

    /// The writes to `hidrawN` cut into 65-byte frames (report id + report).
    func frames(_ number: Int) -> [[UInt8]] {
        let bytes = written(number)
        return stride(from: 0, to: bytes.count, by: 65).map { Array(bytes[$0..<min($0 + 65, bytes.count)]) }
    }
}
