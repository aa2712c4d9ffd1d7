#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a lamp on Linux hidraw could not be driven; the description says what to do.
public enum HidrawLampError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The device file exists but this user may not write it (EACCES/EPERM).
    case permissionDenied(path: String)
    /// The device file is gone: the lamp was unplugged (ENOENT/ENODEV/ENXIO).
    case unplugged(path: String)
    /// Opening the device file failed for another reason.
    case cannotOpen(path: String, errno: Int32)
    /// Writing the report failed.
    case writeFailed(path: String, errno: Int32)
    /// The kernel took fewer bytes than the 65 of a report.
    case shortWrite(path: String, written: Int)

    /// The shell command that installs the udev rule shipped in `packaging/udev/`.
    public static let udevInstallCommand =
        "sudo cp packaging/udev/60-kuando-busylight.rules /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger"

    public var description: String {
        switch self {
        case .permissionDenied(let path):
            "cannot open \(path): permission denied. Let users write kuando lamps by installing the udev rule "
                + "from the kuando-connector sources: \(Self.udevInstallCommand); then unplug and replug the lamp"
        case .unplugged(let path):
            "the lamp at \(path) is gone (unplugged?); plug it in again, the next scan picks it up"
        case .cannotOpen(let path, let code):
            "cannot open \(path): \(Self.reason(code)); check `ls -l \(path)` and that the lamp is plugged in"
        case .writeFailed(let path, let code):
            "writing to the lamp at \(path) failed: \(Self.reason(code)); unplug and replug the lamp"
        case .shortWrite(let path, let written):
            "the lamp at \(path) took \(written) of 65 bytes; is \(path) really a kuando Busylight?"
        }
    }

    /// The error for a failed `open` of `path` with `errno` `code`.
    static func opening(_ path: String, errno code: Int32) -> HidrawLampError {
        switch code {
        case EACCES, EPERM: .permissionDenied(path: path)
        case ENOENT, ENODEV, ENXIO: .unplugged(path: path)
        default: .cannotOpen(path: path, errno: code)
        }
    }

    /// The error for a failed `write` to `path` with `errno` `code`.
    static func writing(_ path: String, errno code: Int32) -> HidrawLampError {
        switch code {
        case ENODEV, ENXIO, ENOENT, EIO: .unplugged(path: path)
        default: .writeFailed(path: path, errno: code)
        }
    }

    private static func reason(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
