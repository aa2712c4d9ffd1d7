import KuandoSync
import Logging
import PostgresNIO
import Synchronization

/// The shared config store: a PostgreSQL database, as on the innovaphone App Platform.
///
/// Several service processes (one per PBX domain) may use one database: rows are keyed by
/// domain, writes are single-statement upserts, and migrations run in one transaction under an
/// advisory lock. An acknowledged write is committed with the server's `synchronous_commit`
/// (on by default), so it survives this process being killed.
///
/// Connections come from a pool that reconnects by itself and that runs while the store does
/// (``run()``: a service of the application's group, or ``ConfigStore/whileRunning(_:)`` for a
/// command or a test); an operation issued while it does not run waits for it, up to
/// ``operationTimeout``. While the server is away every
/// operation fails within ``operationTimeout`` with ``ConfigStoreError/databaseUnreachable(endpoint:reason:)``,
/// logged once when it goes away and once when it is back; the next operation after the server
/// returns succeeds. The password is never logged, and neither is any statement's data.
public final class PostgresConfigStore: ConfigStore {
    /// The server and database, without the password in its description.
    public let location: PostgresLocation
    /// How long one operation may wait for a connection and its answer.
    public let operationTimeout: Duration
    private let clientConfiguration: PostgresClient.Configuration
    /// The pool operations use; a fresh one replaces it when a run ends, so the store may run again.
    private let client: Mutex<PostgresClient>
    private let running = Mutex(false)
    private let logger: Logger
    private let reachable = Mutex(true)

    /// Connects to the database at `location`, brings its schema up to date and returns the
    /// store. Throws ``ConfigStoreError`` saying why when the server cannot be reached, refuses
    /// the login, lacks the database or holds a newer schema.
    public static func open(
        _ location: PostgresLocation, logger: Logger, operationTimeout: Duration = .seconds(10)
    ) async throws -> PostgresConfigStore {
        try await migrate(location, logger: logger, timeout: operationTimeout)
        return PostgresConfigStore(location: location, logger: logger, operationTimeout: operationTimeout)
    }

    private init(location: PostgresLocation, logger: Logger, operationTimeout: Duration) {
        self.location = location
        self.operationTimeout = operationTimeout
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: Self.clientTLS(location))
        configuration.options.connectTimeout = operationTimeout
        configuration.options.maximumConnections = 8
        clientConfiguration = configuration
        client = Mutex(PostgresClient(configuration: configuration, backgroundLogger: Self.driverLogger))
    }

    /// Runs the connection pool until a graceful shutdown or cancellation; then its connections
    /// close. Throws when the store is running already.
    public func run() async throws {
        let starts = running.withLock { running in
            defer { running = true }
            return !running
        }
        guard starts else {
            throw ConfigStoreError.databaseFailed(endpoint: location.endpoint, reason: "the store is running already: it runs once at a time")
        }
        await client.withLock { $0 }.run()
        client.withLock { $0 = PostgresClient(configuration: clientConfiguration, backgroundLogger: Self.driverLogger) }
        running.withLock { $0 = false }
    }

    public func config(for user: UserKey) async throws -> UserConfig? {
        let stored = try await perform { client in
            try await Self.fetchConfig(client, user)
        }
        return try stored.map { json throws(ConfigStoreError) in try StoredConfig.decode(json, for: user) }
    }

    public func configOrDefaults(for user: UserKey) async throws -> UserConfig {
        let defaults = StoredConfig.defaults
        let json = try await perform { client in
            // ON CONFLICT DO NOTHING waits for a concurrent first open to commit, so the
            // SELECT after it always finds the one row.
            _ = try await client.query("""
                INSERT INTO kuando_user_config (domain, guid, sip, config)
                VALUES (\(user.domain), \(user.guid), \(user.sip), \(defaults)::jsonb)
                ON CONFLICT (domain, guid) DO NOTHING
                """, logger: Self.driverLogger).collect()
            return try await Self.fetchConfig(client, user) ?? defaults
        }
        return try StoredConfig.decode(json, for: user)
    }

    public func configsOrDefaults(for users: [UserKey]) async throws -> [UserKey: Result<UserConfig, ConfigStoreError>] {
        let defaults = StoredConfig.defaults
        var stored: [UserKey: String] = [:]
        for (domain, members) in Dictionary(grouping: users, by: \.domain) {
            let guids = members.map(\.guid)
            let sips = members.map(\.sip)
            let rows = try await perform { client in
                // As configOrDefaults: DO NOTHING waits for concurrent first opens, so the SELECT
                // after it finds every row.
                _ = try await client.query("""
                    INSERT INTO kuando_user_config (domain, guid, sip, config)
                    SELECT \(domain), guid, sip, \(defaults)::jsonb FROM unnest(\(guids)::text[], \(sips)::text[]) AS new (guid, sip)
                    ON CONFLICT (domain, guid) DO NOTHING
                    """, logger: Self.driverLogger).collect()
                var found: [String: String] = [:]
                for try await (guid, config) in try await client.query(
                    "SELECT guid, config::text FROM kuando_user_config WHERE domain = \(domain) AND guid = ANY(\(guids)::text[])",
                    logger: Self.driverLogger
                ).decode((String, String).self) {
                    found[guid] = config
                }
                return found
            }
            for member in members { stored[member] = rows[member.guid] }
        }
        return StoredConfig.decode(stored, for: users)
    }

    public func save(_ config: UserConfig, for user: UserKey) async throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ConfigStoreError.invalidConfig(user: user, problems: problems) }
        let json = StoredConfig.encode(config)
        _ = try await perform { client in
            try await client.query("""
                INSERT INTO kuando_user_config (domain, guid, sip, config)
                VALUES (\(user.domain), \(user.guid), \(user.sip), \(json)::jsonb)
                ON CONFLICT (domain, guid) DO UPDATE
                SET sip = EXCLUDED.sip, config = EXCLUDED.config, updated_at = now()
                """, logger: Self.driverLogger).collect().count
        }
    }

    public func userCount() async throws -> Int {
        try await perform { client in
            let rows = try await client.query("SELECT count(*) FROM kuando_user_config", logger: Self.driverLogger).collect()
            return try rows.first?.decode(Int.self) ?? 0
        }
    }

    public func ping() async throws {
        try await perform { client in
            _ = try await client.query("SELECT 1", logger: Self.driverLogger).collect()
        }
    }

    public func instancePassword(domain: String, generate: @Sendable () -> String) async throws -> String {
        let candidate = generate()
        let name = InstanceSetting.password
        return try await perform { client in
            _ = try await client.query("""
                INSERT INTO kuando_instance_setting (domain, name, value) VALUES (\(domain), \(name), \(candidate))
                ON CONFLICT (domain, name) DO NOTHING
                """, logger: Self.driverLogger).collect()
            let rows = try await client.query(
                "SELECT value FROM kuando_instance_setting WHERE domain = \(domain) AND name = \(name)",
                logger: Self.driverLogger
            ).collect()
            return try rows.first?.decode(String.self) ?? candidate
        }
    }

    public func storedInstancePassword(domain: String) async throws -> String? {
        let name = InstanceSetting.password
        return try await perform { client in
            let rows = try await client.query(
                "SELECT value FROM kuando_instance_setting WHERE domain = \(domain) AND name = \(name)", logger: Self.driverLogger
            ).collect()
            return try rows.first?.decode(String.self)
        }
    }

    public func setInstancePassword(domain: String, password: String) async throws {
        let name = InstanceSetting.password
        _ = try await perform { client in
            try await client.query("""
                INSERT INTO kuando_instance_setting (domain, name, value) VALUES (\(domain), \(name), \(password))
                ON CONFLICT (domain, name) DO UPDATE SET value = EXCLUDED.value
                """, logger: Self.driverLogger).collect().count
        }
    }

    public func instances() async throws -> [StoredInstance] {
        let name = InstanceSetting.password
        return try await perform { client in
            var instances: [StoredInstance] = []
            for try await (domain, password) in try await client.query(
                "SELECT domain, value FROM kuando_instance_setting WHERE name = \(name) ORDER BY domain", logger: Self.driverLogger
            ).decode((String, String).self) {
                instances.append(StoredInstance(domain: domain, password: password))
            }
            return instances
        }
    }

    public func userCounts() async throws -> [String: Int] {
        try await perform { client in
            var counts: [String: Int] = [:]
            for try await (domain, count) in try await client.query(
                "SELECT domain, count(*) FROM kuando_user_config GROUP BY domain", logger: Self.driverLogger
            ).decode((String, Int).self) {
                counts[domain] = count
            }
            return counts
        }
    }

    public func removeInstance(domain: String) async throws -> Int {
        try await perform { client in
            try await client.withTransaction(logger: Self.driverLogger) { connection in
                _ = try await connection.query("DELETE FROM kuando_instance_setting WHERE domain = \(domain)", logger: Self.driverLogger).collect()
                _ = try await connection.query("DELETE FROM kuando_instance_owner WHERE domain = \(domain)", logger: Self.driverLogger).collect()
                let rows = try await connection.query(
                    "WITH gone AS (DELETE FROM kuando_user_config WHERE domain = \(domain) RETURNING 1) SELECT count(*) FROM gone",
                    logger: Self.driverLogger
                ).collect()
                return try rows.first?.decode(Int.self) ?? 0
            }
        }
    }

    /// Advisory locks on a connection of their own (``PostgresInstanceClaims``).
    public func makeClaims(owner: String) -> any InstanceClaims {
        PostgresInstanceClaims(location: location, owner: owner, timeout: operationTimeout, logger: logger)
    }

    private static func fetchConfig(_ client: PostgresClient, _ user: UserKey) async throws -> String? {
        let rows = try await client.query(
            "SELECT config::text FROM kuando_user_config WHERE domain = \(user.domain) AND guid = \(user.guid)",
            logger: driverLogger
        ).collect()
        return try rows.first?.decode(String.self)
    }

    /// Runs `body` within ``operationTimeout``, maps its failure to ``ConfigStoreError`` and logs
    /// changes of reachability.
    private func perform<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = self.client.withLock { $0 }
        do {
            let result = try await Self.withDeadline(operationTimeout, location) { try await body(client) }
            noteReachable(nil)
            return result
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let storeError = Self.storeError(error, location)
            if case .databaseUnreachable = storeError { noteReachable(storeError) }
            throw storeError
        }
    }

    private func noteReachable(_ failure: ConfigStoreError?) {
        let changed = reachable.withLock { reachable in
            defer { reachable = failure == nil }
            return reachable != (failure == nil)
        }
        guard changed else { return }
        if let failure {
            logger.warning("config database unreachable, retrying", metadata: ["error": "\(failure)"])
        } else {
            logger.notice("config database reachable again", metadata: ["database": "\(location)"])
        }
    }
}
