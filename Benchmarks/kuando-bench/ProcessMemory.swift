import Foundation

/// The process's resident set, as the kernel reports it in `/proc/self/status`.
enum ProcessMemory {
    /// `VmRSS` in KiB; 0 where `/proc` is missing.
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
