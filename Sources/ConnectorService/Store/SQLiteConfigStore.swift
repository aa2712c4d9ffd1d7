import Foundation
import GRDB
import KuandoSync
import ServiceLifecycle

/// The embedded config store: one SQLite file, written by one service process.
///
/// The file is opened in WAL mode with `synchronous = FULL`, so every committed write is on disk
/// before ``save(_:for:)`` returns: it survives the process being killed and the machine losing
/// power. Readers never wait for the writer; a writer waits up to the busy timeout for a lock
/// held elsewhere (a backup tool, an admin's `sqlite3` shell). The schema is created and
/// upgraded by ``SQLiteConfigStore/migrator`` on open.
public final class SQLiteConfigStore: ConfigStore {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (creating when missing) the database file at `path` and its parent directories,
    /// and brings its schema up to date.
    ///
    /// The file holds the instance password and hub tokens, so only the service's user may read
    /// it: a directory it creates is made `0700`, and the file (new or found) is `0600`. SQLite
    /// gives its `-wal` and `-shm` files the database file's mode.
    public init(path: String, busyTimeout: Duration = .seconds(5)) throws(ConfigStoreError) {
        self.path = path
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Self.keepPrivate(path)
            var configuration = Configuration()
            configuration.label = "kuando-config"
            configuration.busyMode = .timeout(Double(busyTimeout.components.seconds))
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB opens WAL with synchronous = NORMAL, which may lose the last commits on power
            // loss. FULL syncs the WAL on every commit. The pool keeps this one writer connection.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw .sqliteFailed(path: path, reason: Self.reason(error))
        }
        try migrate()
    }

    public func config(for user: UserKey) async throws -> UserConfig? {
        let json = try await perform {
            try await pool.read { db in try Self.fetchConfig(db, user) }
        }
        return try json.map { json throws(ConfigStoreError) in try StoredConfig.decode(json, for: user) }
    }

    public func configOrDefaults(for user: UserKey) async throws -> UserConfig {
        let defaults = StoredConfig.defaults
        let json = try await perform {
            // Most opens find the row: a read, which runs beside other reads and writes.
            if let stored = try await pool.read({ db in try Self.fetchConfig(db, user) }) { return stored }
            // One write transaction: a concurrent first open waits and then finds this row.
            return try await pool.write { db in
                if let stored = try Self.fetchConfig(db, user) { return stored }
                try db.execute(
                    sql: "INSERT INTO kuando_user_config (domain, guid, sip, config) VALUES (?, ?, ?, ?)",
                    arguments: [user.domain, user.guid, user.sip, defaults])
                return defaults
            }
        }
        return try StoredConfig.decode(json, for: user)
    }

    public func configsOrDefaults(for users: [UserKey]) async throws -> [UserKey: Result<UserConfig, ConfigStoreError>] {
        let defaults = StoredConfig.defaults
        let stored = try await perform {
            var found = try await pool.read { db in try Self.fetchConfigs(db, users) }
            let missing = users.filter { found[$0] == nil }
            guard !missing.isEmpty else { return found }
            // One write transaction; a row that appeared meanwhile (another open) is kept.
            let created = try await pool.write { db in
                let insert = try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO kuando_user_config (domain, guid, sip, config) VALUES (?, ?, ?, ?)")
                for user in missing { try insert.execute(arguments: [user.domain, user.guid, user.sip, defaults]) }
                return try Self.fetchConfigs(db, missing)
            }
            found.merge(created) { $1 }
            return found
        }
        return StoredConfig.decode(stored, for: users)
    }

    public func save(_ config: UserConfig, for user: UserKey) async throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ConfigStoreError.invalidConfig(user: user, problems: problems) }
        let json = StoredConfig.encode(config)
        try await perform {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO kuando_user_config (domain, guid, sip, config) VALUES (?, ?, ?, ?)
                        ON CONFLICT (domain, guid) DO UPDATE
                        SET sip = excluded.sip, config = excluded.config, updated_at = CURRENT_TIMESTAMP
                        """,
                    arguments: [user.domain, user.guid, user.sip, json])
            }
        }
    }

    public func userCount() async throws -> Int {
        try await perform {
            try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM kuando_user_config") ?? 0 }
        }
    }

    public func ping() async throws {
        try await perform {
            _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        }
    }

    public func instancePassword(domain: String, generate: @Sendable () -> String) async throws -> String {
        let candidate = generate()
        return try await perform {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO kuando_instance_setting (domain, name, value) VALUES (?, ?, ?)",
                    arguments: [domain, InstanceSetting.password, candidate])
                return try String.fetchOne(
                    db, sql: "SELECT value FROM kuando_instance_setting WHERE domain = ? AND name = ?",
                    arguments: [domain, InstanceSetting.password]) ?? candidate
            }
        }
    }

    public func storedInstancePassword(domain: String) async throws -> String? {
        try await perform {
            try await pool.read { db in
                try String.fetchOne(
                    db, sql: "SELECT value FROM kuando_instance_setting WHERE domain = ? AND name = ?", arguments: [domain, InstanceSetting.password])
            }
        }
    }

    public func setInstancePassword(domain: String, password: String) async throws {
        try await perform {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO kuando_instance_setting (domain, name, value) VALUES (?, ?, ?)
                        ON CONFLICT (domain, name) DO UPDATE SET value = excluded.value
                        """,
                    arguments: [domain, InstanceSetting.password, password])
            }
        }
    }

    public func instances() async throws -> [StoredInstance] {
        try await perform {
            try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT domain, value FROM kuando_instance_setting WHERE name = ? ORDER BY domain", arguments: [InstanceSetting.password]
                ).map { StoredInstance(domain: $0[0], password: $0[1]) }
            }
        }
    }

    public func userCounts() async throws -> [String: Int] {
        try await perform {
            try await pool.read { db in
                Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT domain, count(*) FROM kuando_user_config GROUP BY domain").map { ($0[0], $0[1]) })
            }
        }
    }

    public func removeInstance(domain: String) async throws -> Int {
        try await perform {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM kuando_instance_setting WHERE domain = ?", arguments: [domain])
                try db.execute(sql: "DELETE FROM kuando_user_config WHERE domain = ?", arguments: [domain])
                return db.changesCount
            }
        }
    }

    /// A SQLite file is used by one process: every claim is granted.
    public func makeClaims(owner: String) -> any InstanceClaims {
        LocalInstanceClaims(owner: owner)
    }

    /// Nothing runs in the background: waits for a graceful shutdown or cancellation. The file
    /// closes when the store is released.
    public func run() async throws {
        try? await gracefulShutdown()
    }

    /// Closes the file now; every later operation fails. The file otherwise closes when the
    /// store is released.
    func close() throws {
        try perform { try pool.close() }
    }

    /// The writer connection's journal mode and `synchronous` level, as SQLite reports them.
    /// Creates the file `0600` when missing (before SQLite creates it with the umask's mode),
    /// and takes group and other permissions off one that exists.
    static func keepPrivate(_ path: String) throws {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ConfigStoreError.sqliteFailed(path: path, reason: "cannot create the file: check that the service's user may write its directory")
            }
            return
        }
        if let mode = (try files.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            try files.setAttributes([.posixPermissions: mode & 0o700], ofItemAtPath: path)
        }
    }

    func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
             try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    private static func fetchConfig(_ db: Database, _ user: UserKey) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT config FROM kuando_user_config WHERE domain = ? AND guid = ?",
            arguments: [user.domain, user.guid])
    }

    private static func fetchConfigs(_ db: Database, _ users: [UserKey]) throws -> [UserKey: String] {
        let select = try db.cachedStatement(sql: "SELECT config FROM kuando_user_config WHERE domain = ? AND guid = ?")
        var found: [UserKey: String] = [:]
        for user in users {
            if let config = try String.fetchOne(select, arguments: [user.domain, user.guid]) { found[user] = config }
        }
        return found
    }

    private func perform<T>(_ body: () async throws -> T) async throws(ConfigStoreError) -> T {
        do {
            return try await body()
        } catch let error as ConfigStoreError {
            throw error
        } catch {
            throw .sqliteFailed(path: path, reason: Self.reason(error))
        }
    }

    private func perform<T>(_ body: () throws -> T) throws(ConfigStoreError) -> T {
        do {
            return try body()
        } catch {
            throw .sqliteFailed(path: path, reason: Self.reason(error))
        }
    }

    /// SQLite's own words for a failure, without the statement (whose arguments may hold a token).
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return (error as NSError).localizedDescription
    }
}

/// Names of the rows in the instance settings table.
enum InstanceSetting {
    static let password = "instance-password"
}
