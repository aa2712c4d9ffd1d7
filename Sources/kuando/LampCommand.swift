import ArgumentParser
import Busylight
import Foundation

/// `kuando lamp …`: kuando Busylights on this machine, driven directly over USB HID.
struct LampCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lamp",
        abstract: "Drive kuando Busylights directly over USB HID (Linux hidraw).",
        subcommands: [Packet.self, List.self, Test.self]
    )

    /// Where to look for lamps; hidden, for trying the commands against a fake tree.
    struct Roots: ParsableArguments {
        @Option(name: .customLong("sys-root"), help: .hidden)
        var sysRoot = "/sys"

        @Option(name: .customLong("dev-root"), help: .hidden)
        var devRoot = "/dev"

        func inventory() -> HidrawLampInventory {
            HidrawLampInventory(sysRoot: sysRoot, devRoot: devRoot)
        }
    }

    /// `kuando lamp packet`: the 64-byte report for one step, as hex.
    struct Packet: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the 64-byte HID report for a colour, blink and tone as 128 hex digits.",
            discussion: """
                Values are the device's own: colours 0–100, times in tenths of a second, tone 0–15,
                volume 0–7. Without --color the colour is 0,0,0. Example:
                  kuando lamp packet --color 100,0,0 --blink 5,5
                """
        )

        @Option(help: "Colour as R,G,B, each 0–100.")
        var color: String?

        @Option(help: "Blink as ON,OFF in tenths of a second, each 0–255.")
        var blink: String?

        @Option(help: "Device tone 0–15 (needs --volume).")
        var tone: Int?

        @Option(help: "Device volume 0–7; 0 stops the tone (needs --tone).")
        var volume: Int?

        @Flag(help: "The keep-alive report (0x8F) instead.")
        var keepalive = false

        func run() throws {
            do {
                let request = try BusylightPacketRequest(
                    color: color, blink: blink, tone: tone, volume: volume, keepAlive: keepalive)
                print(request.report().hex)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// `kuando lamp list`: the lamps connected now.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the kuando lamps connected now: model, hidraw path, USB id, whether it can be written."
        )

        @OptionGroup var roots: Roots

        func run() {
            let inventory = roots.inventory()
            let found = inventory.scan()
            guard !found.isEmpty else {
                print("""
                    No kuando Busylight found under \(roots.sysRoot)/class/hidraw.
                    Check that the lamp is plugged in (`lsusb | grep -i -e 27bb -e 04d8:f848`) and that the kernel \
                    made a hidraw device for it (`ls -l \(roots.devRoot)/hidraw*`).
                    """)
                return
            }
            for info in found {
                let access = inventory.accessProblem(path: info.path).map { "cannot write: \($0)" } ?? "ok"
                print("\(info.model)\t\(info.path)\t\(Self.usbID(info))\t\(access)")
            }
        }

        static func usbID(_ info: LampInfo) -> String {
            func hex(_ value: UInt16) -> String {
                BusylightReport.hex([UInt8(value >> 8), UInt8(value & 0xFF)])
            }
            return "\(hex(info.vendorID)):\(hex(info.productID))"
        }
    }

    /// `kuando lamp test`: red, green, blue, off on real lamps.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show red, green and blue for a second each, then switch off, on every lamp or one."
        )

        @Option(help: "Only the lamp at this hidraw path, e.g. /dev/hidraw3.")
        var lamp: String?

        @OptionGroup var roots: Roots

        func run() async throws {
            var lamps = await roots.inventory().lamps()
            if let lamp {
                lamps = lamps.filter { $0.info.path == lamp }
            }
            guard !lamps.isEmpty else {
                let message = lamp.map { "no kuando lamp at \($0); `kuando lamp list` shows the lamps connected" }
                    ?? "no kuando lamp found; `kuando lamp list` tells how to check"
                FileHandle.standardError.write(Data((message + "\n").utf8))
                throw ExitCode.failure
            }
            let steps: [(String, BusylightEffect)] = [
                ("red", .solid(.red)),
                ("green", .solid(.green)),
                ("blue", .solid(.blue)),
                ("off", .off),
            ]
            for (name, effect) in steps {
                print("\(name): " + lamps.map { "\($0.info.model) \($0.info.path)" }.joined(separator: ", "))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lamp in lamps {
                        group.addTask { try await lamp.apply(effect) }
                    }
                    try await group.waitForAll()
                }
                if effect != .off {
                    try await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}
