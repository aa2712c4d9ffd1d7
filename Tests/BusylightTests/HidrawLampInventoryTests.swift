import Foundation
import Testing
import TestSupport

@testable import Busylight

@Suite("HidrawLampInventory: lamps over a fake /sys and /dev")
struct HidrawLampInventoryTests {
    static let keepAliveFrame = [0] + BusylightReport.keepAlive.bytes

    static func frame(_ effect: BusylightEffect) -> [UInt8] {
        [0] + BusylightReport(effect: effect).bytes
    }

    /// A Busylight Omega at hidraw0, a hand-moved clock, and the inventory over both.
    static func omegaPluggedIn() throws -> (FakeHidrawTree, ManualClock, HidrawLampInventory) {
        let tree = try FakeHidrawTree()
        try tree.plug(0, vendor: 0x27BB, product: 0x3BCF)
        let clock = ManualClock()
        return (tree, clock, HidrawLampInventory(sysRoot: tree.sysRoot, devRoot: tree.devRoot, clock: clock))
    }

    @Test("discovery finds every kuando id in the uevents, by hidraw number, and nothing else")
    func discovery() async throws {
        let tree = try FakeHidrawTree()
        try tree.plug(10, vendor: 0x27BB, product: 0x3BCA)
        try tree.plug(0, vendor: 0x27BB, product: 0x3BCF)
        try tree.plug(1, vendor: 0x046D, product: 0xC31C)
        try tree.plug(2, vendor: 0x04D8, product: 0xF848)
        try tree.plug(3, vendor: 0x27BB, product: 0x3BC0)
        try FileManager.default.createDirectory(
            atPath: tree.sysRoot + "/class/hidraw/hidraw4/device", withIntermediateDirectories: true)
        let inventory = HidrawLampInventory(sysRoot: tree.sysRoot, devRoot: tree.devRoot, clock: ManualClock())

        #expect(inventory.scan() == [
            LampInfo(path: tree.devicePath(0), model: .omega2),
            LampInfo(path: tree.devicePath(2), model: .model1),
            LampInfo(path: tree.devicePath(3), model: .bootloader),
            LampInfo(path: tree.devicePath(10), model: .alpha),
        ])
        // A device in bootloader mode shows nothing, so it is no lamp to drive.
        #expect(await inventory.lamps().map(\.info.path) == [0, 2, 10].map(tree.devicePath))
    }

    @Test("a uevent's HID_ID line names the model")
    func ueventParsing() {
        #expect(HidrawLampInventory.model(inUevent: "DRIVER=hid-generic\nHID_ID=0003:000027BB:00003BCD\n") == .omega)
        #expect(HidrawLampInventory.model(inUevent: "HID_ID=0003:000004d8:0000f848") == .model1)
        #expect(HidrawLampInventory.model(inUevent: "HID_ID=0003:000027BB") == nil)
        #expect(HidrawLampInventory.model(inUevent: "HID_NAME=BUSYLIGHT") == nil)
    }

    @Test("an effect is one 65-byte write: report id 0, then the report")
    func writesReports() async throws {
        let tree = try FakeHidrawTree()
        try tree.plug(0, vendor: 0x27BB, product: 0x3BCD)
        let inventory = HidrawLampInventory(sysRoot: tree.sysRoot, devRoot: tree.devRoot, clock: ManualClock())
        let lamp = try #require(await inventory.lamps().first)

        try await lamp.apply(.solid(.red))
        try await lamp.apply(.pulse(.blue))

        #expect(tree.written(0).count == 130)
        #expect(tree.frames(0) == [Self.frame(.solid(.red)), Self.frame(.pulse(.blue))])
        #expect(try BusylightEffect(recognizing: BusylightReport(bytes: Array(tree.frames(0)[1].dropFirst()))) == .pulse(.blue))
    }

    @Test("a lit lamp gets a keep-alive 10 s after each write, never later, and none after off")
    func keepAliveCadence() async throws {
        let (tree, clock, inventory) = try Self.omegaPluggedIn()
        let lamp = try #require(await inventory.lamps().first)

        try await lamp.apply(.solid(.red))
        try await eventually("the keep-alive sleeps") { clock.sleeperCount == 1 }
        #expect(clock.advance(by: .milliseconds(9999)) == 0)
        #expect(tree.frames(0).count == 1)

        clock.advance(by: .milliseconds(1))
        try await eventually("the first keep-alive is written") { tree.frames(0).count == 2 }
        #expect(tree.frames(0)[1] == Self.keepAliveFrame)

        try await eventually("the next keep-alive sleeps") { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(10))
        try await eventually("the second keep-alive is written") { tree.frames(0).count == 3 }
        #expect(tree.frames(0)[2] == Self.keepAliveFrame)

        try await lamp.apply(.off)
        try await eventually("the keep-alive ends") { clock.sleeperCount == 0 }
        clock.advance(by: .seconds(60))
        #expect(tree.frames(0) == [
            Self.frame(.solid(.red)), Self.keepAliveFrame, Self.keepAliveFrame, Self.frame(.off),
        ])
    }

    @Test("a new effect restarts the keep-alive interval")
    func newEffectRestartsInterval() async throws {
        let (tree, clock, inventory) = try Self.omegaPluggedIn()
        let lamp = try #require(await inventory.lamps().first)

        try await lamp.apply(.solid(.red))
        clock.advance(by: .seconds(6))
        try await lamp.apply(.blink(.blue, onTime: 5, offTime: 5))
        try await eventually("only the new keep-alive sleeps") { clock.sleeperCount == 1 }
        #expect(clock.advance(by: .seconds(9)) == 0)
        #expect(tree.frames(0).count == 2)
        #expect(clock.advance(by: .seconds(1)) == 1)
        try await eventually("the keep-alive 10 s after the blink is written") { tree.frames(0).count == 3 }
        #expect(tree.frames(0)[2] == Self.keepAliveFrame)
    }

    @Test("several lamps are driven and kept alive side by side")
    func severalLamps() async throws {
        let tree = try FakeHidrawTree()
        try tree.plug(0, vendor: 0x27BB, product: 0x3BCF)
        try tree.plug(1, vendor: 0x27BB, product: 0x3BCE)
        let clock = ManualClock()
        let inventory = HidrawLampInventory(sysRoot: tree.sysRoot, devRoot: tree.devRoot, clock: clock)

        #expect(await inventory.applyToAll(.solid(.red)).isEmpty)
        try await eventually("both keep-alives sleep") { clock.sleeperCount == 2 }
        clock.advance(by: .seconds(10))
        try await eventually("both lamps got a keep-alive") { tree.frames(0).count == 2 && tree.frames(1).count == 2 }
        #expect(tree.frames(0) == tree.frames(1))
    }

    @Test("an unplugged lamp disappears at the next scan, and a replugged one is driven again")
    func unplugAndReplug() async throws {
        let (tree, clock, inventory) = try Self.omegaPluggedIn()
        let first = try #require(await inventory.lamps().first)
        try await first.apply(.solid(.red))
        try await eventually("the keep-alive sleeps") { clock.sleeperCount == 1 }

        try tree.unplug(0)
        #expect(await inventory.lamps().isEmpty)
        try await eventually("the removed lamp's keep-alive ends") { clock.sleeperCount == 0 }
        await #expect(throws: HidrawLampError.unplugged(path: tree.devicePath(0))) {
            try await first.apply(.solid(.blue))
        }

        try tree.plug(0, vendor: 0x27BB, product: 0x3BCF)
        let again = try #require(await inventory.lamps().first)
        #expect(again.info == first.info)
        try await again.apply(.solid(.blue))
        #expect(tree.frames(0) == [Self.frame(.solid(.blue))])
    }

    @Test("a lamp still plugged in keeps its object, and its keep-alive, across scans")
    func rescanKeepsLamps() async throws {
        let (tree, clock, inventory) = try Self.omegaPluggedIn()
        let first = try #require(await inventory.hidrawLamps().first)
        try await first.apply(.solid(.red))
        try tree.plug(1, vendor: 0x27BB, product: 0x3BCA)

        let lamps = await inventory.hidrawLamps()
        #expect(lamps.count == 2)
        #expect(lamps.first === first)
        try await eventually("the keep-alive sleeps") { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(10))
        try await eventually("the keep-alive is written") { tree.frames(0).count == 2 }
    }

    @Test("a lamp unplugged between keep-alives records why and stops")
    func keepAliveToAGoneLamp() async throws {
        let (tree, clock, inventory) = try Self.omegaPluggedIn()
        let lamp = try #require(await inventory.hidrawLamps().first)
        try await lamp.apply(.solid(.red))
        try await eventually("the keep-alive sleeps") { clock.sleeperCount == 1 }

        try tree.unplug(0)
        clock.advance(by: .seconds(10))
        try await eventually("the keep-alive failed") { await lamp.keepAliveError != nil }
        #expect(await lamp.keepAliveError == .unplugged(path: tree.devicePath(0)))
        #expect(await lamp.effect == nil)
        #expect(clock.sleeperCount == 0)
    }

    @Test("no permission names the udev rule and how to install it")
    func permissionDeniedMessage() {
        let error = HidrawLampError.opening("/dev/hidraw3", errno: EACCES)
        #expect(error == .permissionDenied(path: "/dev/hidraw3"))
        #expect("\(error)".contains("/dev/hidraw3"))
        #expect("\(error)".contains(
            "sudo cp packaging/udev/60-kuando-busylight.rules /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger"))
        #expect(HidrawLampError.opening("/dev/hidraw3", errno: ENOENT) == .unplugged(path: "/dev/hidraw3"))
        #expect(HidrawLampError.writing("/dev/hidraw3", errno: ENODEV) == .unplugged(path: "/dev/hidraw3"))
    }

    @Test("a device file this user may not write gives permissionDenied", .enabled(if: geteuid() != 0, "root may write any file"))
    func permissionDeniedOnAReadOnlyFile() async throws {
        let tree = try FakeHidrawTree()
        try tree.plug(0, vendor: 0x27BB, product: 0x3BCF)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: tree.devicePath(0))
        let inventory = HidrawLampInventory(sysRoot: tree.sysRoot, devRoot: tree.devRoot, clock: ManualClock())
        let lamp = try #require(await inventory.lamps().first)
        await #expect(throws: HidrawLampError.permissionDenied(path: tree.devicePath(0))) {
            try await lamp.apply(.solid(.red))
        }
        #expect(inventory.accessProblem(path: tree.devicePath(0)) == .permissionDenied(path: tree.devicePath(0)))
    }
}
