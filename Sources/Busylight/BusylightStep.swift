/// One of the seven steps of a Busylight program: 8 bytes of the output report (HID spec rev 2.2,
/// protocol notes B.2).
///
/// ```swift
/// // Blink red, 0.5 s on and 0.5 s off, forever: step 0 jumps back to itself.
/// let step = BusylightStep(command: .jump(to: 0), color: BusylightColor(red: 100, green: 0, blue: 0),
///                          onTime: 5, offTime: 5)
/// step.bytes  // [0x10, 0x00, 0x64, 0x00, 0x00, 0x05, 0x05, 0x00]
/// ```
///
/// Values beyond a field's range are sent as the field's largest value (colours 100, jump target
/// 7, keep-alive timeout 15), so every step is well-formed on the wire.
public struct BusylightStep: Equatable, Hashable, Sendable {
    /// The step's first byte.
    public enum Command: Equatable, Hashable, Sendable {
        /// `0001 0aaa`: show this step, then continue at step `target` (0–7).
        case jump(to: UInt8)
        /// `1000 tttt`: change nothing, stay alive for `timeout` more seconds (0–15).
        case keepAlive(timeout: UInt8)
        /// `0010 0000`: reset the device.
        case reset
        /// `0100 0000`: start the bootloader (firmware update mode).
        case bootloader

        /// The command byte.
        public var byte: UInt8 {
            switch self {
            case .jump(let target): 0x10 | min(target, 7)
            case .keepAlive(let timeout): 0x80 | min(timeout, 15)
            case .reset: 0x20
            case .bootloader: 0x40
            }
        }

        /// The command a byte encodes, or `nil` for a byte the specification does not define.
        public init?(byte: UInt8) {
            switch byte {
            case 0x10...0x17: self = .jump(to: byte & 0x07)
            case 0x80...0x8F: self = .keepAlive(timeout: byte & 0x0F)
            case 0x20: self = .reset
            case 0x40: self = .bootloader
            default: return nil
            }
        }
    }

    public var command: Command
    /// How often the step runs, 1–255; 0 for a single step that loops on itself.
    public var repeatCount: UInt8
    /// PWM on-time per channel, 0–100 %.
    public var color: BusylightColor
    /// Light on, in tenths of a second.
    public var onTime: UInt8
    /// Light off, in tenths of a second.
    public var offTime: UInt8
    /// The audio setting this step applies; `nil` leaves the audio as it is.
    public var audio: BusylightAudio?

    public init(
        command: Command, repeatCount: UInt8 = 0, color: BusylightColor = .off,
        onTime: UInt8 = 0, offTime: UInt8 = 0, audio: BusylightAudio? = nil
    ) {
        self.command = command
        self.repeatCount = repeatCount
        self.color = color
        self.onTime = onTime
        self.offTime = offTime
        self.audio = audio
    }

    /// The 8 bytes of this step: command, repeat, red, green, blue, on, off, audio.
    public var bytes: [UInt8] {
        [
            command.byte, repeatCount, min(color.red, 100), min(color.green, 100), min(color.blue, 100),
            onTime, offTime, BusylightAudio.byte(for: audio),
        ]
    }

    /// A keep-alive step: "no change, stay on for `timeout` seconds" (`0x8F` for 15 s).
    public static func keepAlive(timeout: UInt8 = 15) -> BusylightStep {
        BusylightStep(command: .keepAlive(timeout: timeout))
    }
}
