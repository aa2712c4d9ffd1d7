import GRDB

extension SQLiteConfigStore {
    /// The schema, one migration per version. GRDB records the applied ones in `grdb_migrations`;
    /// a migration, once released, never changes: a new schema is a new migration appended here.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(Self.migrationNames[0]) { db in
            try db.execute(sql: """
                CREATE TABLE kuando_user_config (
                    domain TEXT NOT NULL,
                    guid TEXT NOT NULL,
                    sip TEXT NOT NULL DEFAULT '',
                    config TEXT NOT NULL,
                    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    PRIMARY KEY (domain, guid)
                ) WITHOUT ROWID;
                CREATE TABLE kuando_instance_setting (
                    domain TEXT NOT NULL,
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    PRIMARY KEY (domain, name)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// The migration identifiers in order; the schema version is how many are applied.
    static let migrationNames = ["1 user configs and instance settings"]

    /// Refuses a file written by a newer version, then applies the missing migrations.
    func migrate() throws(ConfigStoreError) {
        let migrator = Self.migrator
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw .sqliteFailed(path: path, reason: Self.reason(error))
        }
        let unknown = applied.subtracting(Self.migrationNames)
        guard unknown.isEmpty else {
            throw .schemaTooNew(found: applied.count, known: Self.migrationNames.count)
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw .sqliteFailed(path: path, reason: "upgrading the schema failed: " + Self.reason(error))
        }
    }
}
