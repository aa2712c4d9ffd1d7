#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lamp's `/dev/hidrawN` file: writes reports with the leading report id 0 (65 bytes).
///
/// The file is opened for each report, so a lamp that was unplugged and plugged in again at the
/// same path works without reopening, and nothing stays open while the lamp is idle. The write
/// blocks until the kernel took the report (a USB interrupt transfer, a few milliseconds).
struct HidrawDevice: Sendable {
    let path: String

    /// Writes `0x00` followed by the 64 report bytes.
    func write(_ report: [UInt8]) throws(HidrawLampError) {
        // O_APPEND is ignored by hidraw; on the regular files tests use it keeps every frame.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw .opening(path, errno: errno) }
        defer { close(descriptor) }
        let frame = [0] + report
        let written = frame.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        guard written >= 0 else { throw .writing(path, errno: errno) }
        guard written == frame.count else { throw .shortWrite(path: path, written: written) }
    }

    /// Why this process could not write the device, or `nil` when it can.
    func accessProblem() -> HidrawLampError? {
        access(path, W_OK) == 0 ? nil : .opening(path, errno: errno)
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
