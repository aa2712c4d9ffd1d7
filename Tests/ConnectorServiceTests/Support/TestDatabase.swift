import ConnectorService
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
import TestSupport

/// The two store implementations every store test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh, empty config database of one kind, for one test.
struct TestDatabase: Sendable {
    let kind: StoreKind
    /// The `--db` value.
    let url: String
    private let sqlitePath: String?
    private let postgres: (server: PostgresTestServer, database: String)?

    /// A new database; for PostgreSQL on the suite's server. Where PostgreSQL is not installed
    /// the test is skipped with a notice, except under CI=true, where that is a failure.
    static func make(_ kind: StoreKind) async throws -> TestDatabase {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("kuando-store-\(UUID().uuidString)/nested/connector.sqlite").path
            return TestDatabase(kind: kind, url: "sqlite:\(path)", sqlitePath: path, postgres: nil)
        case .postgres:
            let server = try requirePostgres()
            let database = try await server.createDatabase()
            return TestDatabase(kind: kind, url: server.url(database: database), sqlitePath: nil, postgres: (server, database))
        }
    }

    /// The suite's server; without PostgreSQL the test is skipped with a notice (a failure in CI).
    static func requirePostgres() throws -> PostgresTestServer {
        try require(PostgresTestServer.current)
    }

    /// The server `availability` holds; a PostgreSQL that is not installed skips the test with a
    /// notice, except in CI (``OutsidePrograms``), where it fails, as a server that failed does.
    static func require(_ availability: PostgresTestServer.Availability) throws -> PostgresTestServer {
        switch availability {
        case .running(let server):
            return server
        case .notInstalled(let reason):
            if OutsidePrograms.requiredHere {
                throw PostgresTestServer.ServerError(
                    message: "CI=true requires PostgreSQL, but \(reason); .ci/run installs Debian's postgresql")
            }
            try Test.cancel(Comment(rawValue: skipNotice(reason)))
        case .failed(let reason):
            throw PostgresTestServer.ServerError(message: reason)
        }
    }

    static func skipNotice(_ reason: String) -> String {
        "\(reason): the PostgreSQL store tests are skipped; apt-get install postgresql to run them"
    }

    /// Opens a store on this database, as the service does.
    func open() async throws -> any ConfigStore {
        try await openConfigStore(url: url, logger: Self.logger)
    }

    /// Opens a store on this database and runs it around `body`.
    func withStore(_ body: (any ConfigStore) async throws -> Void) async throws {
        let store = try await open()
        try await store.whileRunning { try await body(store) }
    }

    static let logger = Logger(label: "test.store", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Removes what the database left on disk (PostgreSQL databases go with their server).
    func remove() {
        guard let sqlitePath else { return }
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: sqlitePath).deletingLastPathComponent().deletingLastPathComponent())
    }

    // MARK: - Looking under the store

    /// Writes `json` as the stored config of `user`, as an older version might have.
    func writeRawConfig(_ json: String, for user: UserKey) async throws {
        switch kind {
        case .sqlite:
            try await withSQLite { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO kuando_user_config (domain, guid, sip, config) VALUES (?, ?, ?, ?)",
                    arguments: [user.domain, user.guid, user.sip, json])
            }
        case .postgres:
            try await withPostgres { connection in
                _ = try await connection.query("""
                    INSERT INTO kuando_user_config (domain, guid, sip, config) VALUES (\(user.domain), \(user.guid), \(user.sip), \(json)::jsonb)
                    ON CONFLICT (domain, guid) DO UPDATE SET config = EXCLUDED.config
                    """, logger: PostgresTestServer.logger).collect()
            }
        }
    }

    /// The number of stored config rows, counted directly.
    func rawRowCount() async throws -> Int {
        switch kind {
        case .sqlite:
            try await withSQLite { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM kuando_user_config") ?? -1 }
        case .postgres:
            try await withPostgres { connection in
                let rows = try await connection.query("SELECT count(*) FROM kuando_user_config", logger: PostgresTestServer.logger).collect()
                return try rows.first?.decode(Int.self) ?? -1
            }
        }
    }

    /// The applied schema migrations, as recorded in the database.
    func rawMigrations() async throws -> [String] {
        switch kind {
        case .sqlite:
            try await withSQLite { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        case .postgres:
            try await withPostgres { connection in
                let rows = try await connection.query(
                    "SELECT version::text || ' ' || name FROM kuando_schema_migration ORDER BY version",
                    logger: PostgresTestServer.logger).collect()
                return try rows.map { try $0.decode(String.self) }
            }
        }
    }

    /// Records a migration this version does not know, as a newer version would have.
    func recordFutureMigration() async throws {
        switch kind {
        case .sqlite:
            try await withSQLite { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('999 from the future')")
            }
        case .postgres:
            try await withPostgres { connection in
                _ = try await connection.query(
                    "INSERT INTO kuando_schema_migration (version, name) VALUES (999, 'from the future')",
                    logger: PostgresTestServer.logger).collect()
            }
        }
    }

    private func withSQLite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let queue = try DatabaseQueue(path: try #require(sqlitePath))
        let result = try await queue.write(body)
        try queue.close()
        return result
    }

    private func withPostgres<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let (server, database) = try #require(postgres)
        return try await server.withConnection(database: database, body)
    }
}

/// Runs `body` on a fresh database of `kind` and removes it afterwards.
func withTestDatabase(_ kind: StoreKind, _ body: (TestDatabase) async throws -> Void) async throws {
    let database = try await TestDatabase.make(kind)
    defer { database.remove() }
    try await body(database)
}
