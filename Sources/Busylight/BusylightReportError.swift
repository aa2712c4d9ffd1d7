/// Why 64 bytes are not a Busylight output report.
public enum BusylightReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A report is exactly 64 bytes (65 with hidraw's report id in front).
    case wrongLength(Int)
    /// Bytes 62–63 do not hold the sum of bytes 0–61.
    case checksumMismatch(stored: UInt16, computed: UInt16)
    /// A step's first byte is no command of the specification.
    case unknownCommand(step: Int, byte: UInt8)
    /// An all-zero (unused) step is followed by a used one.
    case unusedStepInsideProgram(step: Int)

    public var description: String {
        switch self {
        case .wrongLength(let count):
            "a Busylight report is 64 bytes, got \(count)"
        case .checksumMismatch(let stored, let computed):
            "checksum mismatch: bytes 62–63 hold 0x\(Self.hex(stored)), the sum of bytes 0–61 is 0x\(Self.hex(computed))"
        case .unknownCommand(let step, let byte):
            "step \(step) starts with 0x\(BusylightReport.hex([byte])), which is no command of the HID specification rev 2.2"
        case .unusedStepInsideProgram(let step):
            "step \(step) is unused (all zero) but a later step is used; a program's steps are contiguous"
        }
    }

    private static func hex(_ value: UInt16) -> String {
        BusylightReport.hex([UInt8(value >> 8), UInt8(value & 0xFF)])
    }
}
