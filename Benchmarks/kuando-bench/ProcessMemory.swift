import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Hands freed heap pages back to the kernel first, so the figure shows live memory rather
    /// than the high-water mark of a burst (start-up queues thousands of frames at once).
    static func residentKiBAfterTrim() -> Int {
        #if canImport(Glibc)
        // glibc's malloc_trim is not in the Glibc module map; look it up.
        if let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") {
            typealias Trim = @convention(c) (Int) -> Int32
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
        return residentKiB()
    }
}

/// The resident set at one moment, as it is and after `malloc_trim`.
struct MemorySample: Sendable {
    var residentKiB: Int
    var trimmedKiB: Int

    static func now() -> MemorySample {
        let resident = ProcessMemory.residentKiB()
        return MemorySample(residentKiB: resident, trimmedKiB: ProcessMemory.residentKiBAfterTrim())
    }
}

extension MemoryResult {
    /// What `users` users cost between `before` and `after`.
    init(users: Int, before: MemorySample, after: MemorySample) {
        self.init(
            users: users, rssBeforeKiB: before.residentKiB, rssAfterKiB: after.residentKiB,
            perUserKiB: Double(after.residentKiB - before.residentKiB) / Double(users), rssBeforeTrimmedKiB: before.trimmedKiB,
            rssAfterTrimmedKiB: after.trimmedKiB, perUserTrimmedKiB: Double(after.trimmedKiB - before.trimmedKiB) / Double(users))
    }
}
