import Logging
import PostgresNIO

extension PostgresConfigStore {
    /// One schema version: statements run in order in the migration transaction.
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [PostgresQuery]
    }

    /// The schema, one migration per version. A migration, once released, never changes: a new
    /// schema is a new migration appended here. Applied versions are recorded in
    /// `kuando_schema_migration`.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "user configs and instance settings", statements: [
            """
            CREATE TABLE kuando_user_config (
                domain TEXT NOT NULL,
                guid TEXT NOT NULL,
                sip TEXT NOT NULL DEFAULT '',
                config JSONB NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (domain, guid)
            )
            """,
            """
            CREATE TABLE kuando_instance_setting (
                domain TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (domain, name)
            )
            """,
        ]),
        Migration(version: 2, name: "instance owners", statements: [
            // Which process holds each instance's advisory lock, so another one can name it.
            """
            CREATE TABLE kuando_instance_owner (
                domain TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                since TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
        ]),
    ]

    /// The advisory lock every kuando-connector takes while migrating ("kuando" in ASCII), so
    /// processes starting together against one database migrate one after the other.
    static let migrationLock: Int64 = 0x6B75_616E_646F

    /// Connects once, outside the pool, so a wrong address, password or database name fails
    /// at start with its precise reason; then applies the missing migrations in one transaction.
    static func migrate(_ location: PostgresLocation, logger: Logger, timeout: Duration) async throws {
        let configuration = try connectionConfiguration(location, timeout: timeout)
        do {
            let applied = try await withDeadline(timeout, location) {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: driverLogger)
                do {
                    let applied = try await connection.withTransaction(logger: driverLogger) { connection in
                        try await applyMissing(connection)
                    }
                    try await connection.close()
                    return applied
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
            for migration in applied {
                logger.notice("config database migrated", metadata: [
                    "database": "\(location)", "version": "\(migration.version)", "migration": "\(migration.name)",
                ])
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw storeError(error, location)
        }
    }

    /// A single connection's settings (outside the pool): the migration's and the instance claims'.
    static func connectionConfiguration(_ location: PostgresLocation, timeout: Duration) throws(ConfigStoreError) -> PostgresConnection.Configuration {
        var settings = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: try connectionTLS(location))
        settings.options.connectTimeout = .seconds(timeout.components.seconds)
        return settings
    }

    /// Runs inside the migration transaction: waits for the advisory lock, reads the version,
    /// applies what is missing. Returns the migrations applied.
    private static func applyMissing(_ connection: PostgresConnection) async throws -> [Migration] {
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: driverLogger).collect()
        _ = try await connection.query("""
            CREATE TABLE IF NOT EXISTS kuando_schema_migration (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: driverLogger).collect()
        let rows = try await connection.query(
            "SELECT COALESCE(MAX(version), 0) FROM kuando_schema_migration", logger: driverLogger
        ).collect()
        let current = try rows.first?.decode(Int.self) ?? 0
        let known = migrations.last?.version ?? 0
        guard current <= known else { throw ConfigStoreError.schemaTooNew(found: current, known: known) }
        let missing = migrations.filter { $0.version > current }
        for migration in missing {
            for statement in migration.statements {
                _ = try await connection.query(statement, logger: driverLogger).collect()
            }
            _ = try await connection.query(
                "INSERT INTO kuando_schema_migration (version, name) VALUES (\(migration.version), \(migration.name))",
                logger: driverLogger
            ).collect()
        }
        return missing
    }
}
