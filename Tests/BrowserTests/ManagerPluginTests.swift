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
        let result = try await KuandoProcess.run(["--test", Self.testFile.path], executable: URL(filePath: node))
        let log = result.stdout + result.stderr
        #expect(result.status == 0, "node --test failed:\n\(log)")
        #expect(log.contains("# pass 6"), "expected six passing node tests:\n\(log)")
    }
}
