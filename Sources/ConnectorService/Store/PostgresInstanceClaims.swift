import Logging
import PostgresNIO

/// Instance claims as PostgreSQL session advisory locks, all held on one connection of their
/// own (not the pool's), so they live exactly as long as that connection.
///
/// A claim is `pg_try_advisory_lock(<kuando>, hashtext(domain))`: it never waits. The holder
/// writes its name into `kuando_instance_owner`, where another process reads it to say who
/// serves an instance. When this process dies, the server ends its session and the locks are
/// free for the next process that tries. When the connection breaks while this process lives,
/// ``check()`` finds out (a `SELECT 1` that fails or takes longer than the timeout), closes it
/// and reports every claim lost; the next ``claim(_:)`` connects anew.
///
/// Two domains whose hashes collide share a lock: one process then serves both, which is
/// correct, only less spread.
public actor PostgresInstanceClaims: InstanceClaims {
    public nonisolated let owner: String
    private let location: PostgresLocation
    private let timeout: Duration
    private let logger: Logger
    private var connection: PostgresConnection?
    private var held: Set<String> = []

    /// The first key of every instance lock ("ku"); the migration lock uses the one-key form,
    /// which never conflicts with the two-key one.
    static let lockSpace: Int32 = 0x6B75

    init(location: PostgresLocation, owner: String, timeout: Duration, logger: Logger) {
        self.location = location
        self.owner = owner
        self.timeout = timeout
        self.logger = logger
    }

    public func claim(_ domain: String) async throws -> InstanceClaim {
        if held.contains(domain) { return .held }
        let connection = try await connected()
        let space = Self.lockSpace
        let owner = self.owner
        do {
            let taken = try await PostgresConfigStore.withDeadline(timeout, location) {
                let rows = try await connection.query(
                    "SELECT pg_try_advisory_lock(\(space), hashtext(\(domain)))", logger: PostgresConfigStore.driverLogger
                ).collect()
                guard try rows.first?.decode(Bool.self) == true else { return false }
                _ = try await connection.query("""
                    INSERT INTO kuando_instance_owner (domain, owner) VALUES (\(domain), \(owner))
                    ON CONFLICT (domain) DO UPDATE SET owner = EXCLUDED.owner, since = now()
                    """, logger: PostgresConfigStore.driverLogger).collect()
                return true
            }
            if taken {
                held.insert(domain)
                return .held
            }
            let holder = try await PostgresConfigStore.withDeadline(timeout, location) {
                try await connection.query(
                    "SELECT owner FROM kuando_instance_owner WHERE domain = \(domain)", logger: PostgresConfigStore.driverLogger
                ).collect().first?.decode(String.self)
            }
            return .heldElsewhere(owner: holder == owner ? nil : holder)
        } catch {
            await drop()
            throw PostgresConfigStore.storeError(error, location)
        }
    }

    public func release(_ domain: String) async {
        guard held.remove(domain) != nil, let connection else { return }
        let space = Self.lockSpace
        let owner = self.owner
        _ = try? await PostgresConfigStore.withDeadline(timeout, location) {
            _ = try await connection.query(
                "DELETE FROM kuando_instance_owner WHERE domain = \(domain) AND owner = \(owner)", logger: PostgresConfigStore.driverLogger
            ).collect()
            _ = try await connection.query(
                "SELECT pg_advisory_unlock(\(space), hashtext(\(domain)))", logger: PostgresConfigStore.driverLogger
            ).collect()
        }
    }

    public func check() async -> Bool {
        guard let connection, !connection.isClosed else {
            let lost = !held.isEmpty
            await drop()
            return !lost
        }
        do {
            _ = try await PostgresConfigStore.withDeadline(timeout, location) {
                try await connection.query("SELECT 1", logger: PostgresConfigStore.driverLogger).collect()
            }
            return true
        } catch {
            if !held.isEmpty {
                logger.error(
                    "the connection holding this process's instances broke: it stops serving them and claims them again once the database answers",
                    metadata: ["database": "\(location)", "instances": "\(held.sorted())", "error": "\(PostgresConfigStore.storeError(error, location))"])
            }
            await drop()
            return false
        }
    }

    public func releaseAll() async {
        for domain in held { await release(domain) }
        await drop()
    }

    private func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        // Claims held on a connection that closed are lost: ``check()`` reports that first.
        guard held.isEmpty else {
            throw ConfigStoreError.databaseUnreachable(endpoint: location.endpoint, reason: "the connection holding the instance locks closed")
        }
        await drop()
        let configuration = try PostgresConfigStore.connectionConfiguration(location, timeout: timeout)
        do {
            let connection = try await PostgresConfigStore.withDeadline(timeout, location) {
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: PostgresConfigStore.driverLogger)
            }
            self.connection = connection
            return connection
        } catch {
            throw PostgresConfigStore.storeError(error, location)
        }
    }

    /// Closes the connection; the server frees its locks.
    private func drop() async {
        held = []
        let closing = connection
        connection = nil
        try? await closing?.close()
    }
}
