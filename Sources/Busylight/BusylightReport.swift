/// The 64-byte output report a Busylight takes: up to seven ``BusylightStep``s (8 bytes each,
/// unused steps zero) and an 8-byte footer whose last two bytes are the checksum.
///
/// ```swift
/// let report = BusylightReport(effect: .solid(.red))
/// report.bytes.count   // 64
/// report.hex           // "1000640000000080" + zeros + "000000ffffff03f1"
/// try BusylightReport(bytes: report.bytes) == report   // decoding is the inverse
/// ```
///
/// Encoding is pure; ``init(bytes:)`` (in `BusylightReport+Decoding.swift`) is its inverse.
public struct BusylightReport: Equatable, Hashable, Sendable {
    /// Bytes in a report, without the report id that hidraw wants in front.
    public static let length = 64
    /// Steps a report holds.
    public static let maximumSteps = 7

    /// The program, step 0 first; at most seven steps.
    public private(set) var steps: [BusylightStep]
    /// Bytes 56–58, which only the Kuando Box reads.
    public var footer: Footer

    /// Bytes 56–58 of the report. The lamps ignore them; the specification's footer is zeros.
    public struct Footer: Equatable, Hashable, Sendable {
        /// Kuando Box sensitivity, 0–31 (byte 56).
        public var sensitivity: UInt8
        /// Kuando Box timeout in seconds (byte 57).
        public var timeout: UInt8
        /// Kuando Box trigger time in milliseconds (byte 58).
        public var triggerTime: UInt8

        public init(sensitivity: UInt8 = 0, timeout: UInt8 = 0, triggerTime: UInt8 = 0) {
            self.sensitivity = sensitivity
            self.timeout = timeout
            self.triggerTime = triggerTime
        }
    }

    /// A report running `steps`. More than seven steps is a programming error.
    public init(steps: [BusylightStep], footer: Footer = Footer()) {
        precondition(steps.count <= Self.maximumSteps, "a Busylight report holds at most 7 steps, got \(steps.count)")
        self.steps = steps
        self.footer = footer
    }

    /// The keep-alive report: step 0 `0x8F` ("no change, stay on 15 s"), all else zero. It does not
    /// replace the running program.
    public static let keepAlive = BusylightReport(steps: [.keepAlive()])

    /// The reset report: step 0 `0x20`.
    public static let reset = BusylightReport(steps: [BusylightStep(command: .reset)])

    /// The 64 bytes: steps, zero padding, footer `s t g FF FF FF`, then the checksum big-endian.
    public var bytes: [UInt8] {
        var bytes = steps.flatMap(\.bytes)
        bytes += [UInt8](repeating: 0, count: 56 - bytes.count)
        bytes += [footer.sensitivity, footer.timeout, footer.triggerTime, 0xFF, 0xFF, 0xFF]
        let sum = Self.checksum(of: bytes)
        return bytes + [UInt8(sum >> 8), UInt8(sum & 0xFF)]
    }

    /// The report as 128 lowercase hex digits, byte 0 first.
    public var hex: String {
        Self.hex(bytes)
    }

    /// The checksum of a report: the sum of bytes 0–61 as 16 bits. Bytes after 61 are ignored.
    public static func checksum(of bytes: [UInt8]) -> UInt16 {
        bytes.prefix(62).reduce(UInt16(0)) { $0 &+ UInt16($1) }
    }

    /// `bytes` as lowercase hex, two digits a byte, no separators.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
