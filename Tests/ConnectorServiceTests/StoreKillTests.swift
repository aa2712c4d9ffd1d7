import ConnectorService
import Testing
@testable import kuando_store_writer

extension ConfigStoreTests {
    @Test(arguments: StoreKind.allCases)
    func everyAcknowledgedWriteSurvivesSIGKILL(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            let outcome = try await StoreWriterProcess.runAndKill(url: database.url, killAfter: 40, timeout: .seconds(120))
            #expect(outcome.killedBySignal)
            #expect(outcome.acknowledged.count >= 40)
            #expect(outcome.acknowledged == Array(0..<outcome.acknowledged.count), "acknowledged in order, none missing")

            try await database.withStore { store async throws in
                for index in outcome.acknowledged {
                    let stored = try await store.config(for: StoreWriter.user(index))
                    #expect(stored == StoreWriter.config(index), "acknowledged write \(index)")
                }
                #expect(try await store.userCount() >= outcome.acknowledged.count)
            }
        }
    }
}
