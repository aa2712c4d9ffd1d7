import ConnectorService
import KuandoSync
import Logging
import Testing
import TestSupport

/// PostgreSQL-only behaviour: several processes on one database, and refusals that say why.
extension ConfigStoreTests {
    @Test func servicesStartingTogetherMigrateOnce() async throws {
        let database = try await TestDatabase.make(.postgres)
        let stores = try await withThrowingTaskGroup(of: (any ConfigStore).self) { group in
            for _ in 0..<6 { group.addTask { try await database.open() } }
            return try await group.reduce(into: [any ConfigStore]()) { $0.append($1) }
        }
        #expect(stores.count == 6)
        #expect(try await database.rawMigrations().count == 2, "one row per migration: user configs, instance owners")
    }

    @Test func aWrongPasswordIsRefusedNamingTheUserNotThePassword() async throws {
        let server = try TestDatabase.requirePostgres()
        let url = server.url(database: "postgres", password: "wrong-password-123")
        let error = await #expect(throws: ConfigStoreError.self) {
            try await openConfigStore(url: url, logger: TestDatabase.logger)
        }
        guard case .databaseRefused = error else {
            Issue.record("expected databaseRefused, got \(String(describing: error))")
            return
        }
        let text = error?.description ?? ""
        #expect(text.contains("user \(PostgresTestServer.user)"))
        #expect(text.contains("127.0.0.1:\(server.port)"))
        #expect(!text.contains("wrong-password-123"))
        #expect(!text.contains(server.password))
    }

    @Test func aMissingDatabaseIsRefusedSayingHowToCreateIt() async throws {
        let server = try TestDatabase.requirePostgres()
        let error = await #expect(throws: ConfigStoreError.self) {
            try await openConfigStore(url: server.url(database: "no_such_db"), logger: TestDatabase.logger)
        }
        #expect(error?.description.contains("database no_such_db does not exist") == true, "\(String(describing: error))")
        #expect(error?.description.contains("createdb") == true)
    }
}

extension ConfigStoreTests {
    @Test func aServerThatGoesAwayFailsClearlyAndTheStoreRecoversWhenItIsBack() async throws {
        // A server of its own: stopping the suite's server would disturb the other tests.
        let server = try TestDatabase.require(await PostgresTestServer.start())
        try await withCleanup {
            let location = PostgresLocation(
                host: "127.0.0.1", port: server.port, username: PostgresTestServer.user, password: server.password,
                database: try await server.createDatabase(), tls: .disable)
            // A server just started can miss the 2 s deadline on a busy machine: open (which
            // migrates), then save, until it answers.
            let store = try await pollFor("the new PostgreSQL server takes the store's migration", timeout: .seconds(30)) {
                try await PostgresConfigStore.open(location, logger: TestDatabase.logger, operationTimeout: .seconds(2))
            }
            try await store.whileRunning { () async throws in
                try await eventually("the new PostgreSQL server takes the first save", timeout: .seconds(30)) {
                    try await store.save(Self.edited, for: Self.alice)
                    return true
                }

                try await server.pause()
                let error = await #expect(throws: ConfigStoreError.self) { try await store.config(for: Self.alice) }
                guard case .databaseUnreachable(let endpoint, _) = error else {
                    Issue.record("expected databaseUnreachable, got \(String(describing: error))")
                    throw error ?? PostgresTestServer.ServerError(message: "no error")
                }
                #expect(endpoint == "127.0.0.1:\(server.port)")
                #expect(error?.description.contains(server.password) == false)

                try await server.resume()
                let recovered = try await pollFor("the store reads again once the server is back", timeout: .seconds(30)) {
                    try await store.config(for: Self.alice)
                }
                #expect(recovered == Self.edited)
            }
        } cleanup: {
            await server.stop()
        }
    }
}
