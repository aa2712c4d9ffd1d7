import Foundation
import Testing
@testable import ConnectorService

@Suite struct SQLiteConfigStoreTests {
    @Test func commitsAreSyncedToTheWriteAheadLog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteConfigStore(path: directory.appendingPathComponent("a/b/connector.sqlite").path)
        let settings = try await store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "2 is FULL")
    }

    @Test func aPathThatCannotBeCreatedNamesTheFile() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-store-\(UUID().uuidString)")
        try Data().write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let path = blocker.appendingPathComponent("connector.sqlite").path
        let error = #expect(throws: ConfigStoreError.self) { try SQLiteConfigStore(path: path) }
        guard case .sqliteFailed(let failedPath, _) = error else {
            Issue.record("expected sqliteFailed, got \(String(describing: error))")
            return
        }
        #expect(failedPath == path)
    }
}
