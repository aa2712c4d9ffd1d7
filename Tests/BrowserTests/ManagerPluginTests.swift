import Foundation
import TestSupport
import Testing

/// The PBX Manager plugin's message building, tested with node (`NodeTests/manager-plugin.test.cjs`).
/// No node: skipped with a notice, except in CI (`CI=true`), where that is a failure.
@Suite struct ManagerPluginTests {
    static let testFile = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "NodeTests/manager-plugin.test.cjs")

    /// `node` from PATH.
    static let node: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static let enabled: Bool = {
        if node != nil || OutsidePrograms.requiredHere { return true }
        FileHandle.standardError.write(Data("ManagerPluginTests: SKIPPED — node is not installed (CI=true makes this a failure).\n".utf8))
        return false
    }()

    @Test(.enabled(if: enabled, "needs node"))
    func thePluginBuildsTheDocumentedPbxAdminApiMessages() async throws {
        let node = try #require(Self.node, "node is not installed")
        let output = FileManager.default.temporaryDirectory.appending(path: "manager-plugin-\(UUID().uuidString).log")
        let status = try await run(node, ["--test", Self.testFile.path], output: output)
        let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        #expect(status == 0, "node --test failed:\n\(log)")
        #expect(log.contains("# pass 6"), "expected six passing node tests:\n\(log)")
    }

    private func run(_ executable: String, _ arguments: [String], output: URL) async throws -> Int32 {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
