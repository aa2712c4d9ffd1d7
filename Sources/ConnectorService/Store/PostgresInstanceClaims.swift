import Logging
import PostgresNIO

/// Instance claims as PostgreSQL session advisory locks, all held on one connection of their
/// own (not the pool's), so they live exactly as long as that connection.
///
/// A claim is `pg_try_advisory_lock(<kuando>, hashtext(domain))`, for all domains of a round in
/// one statement: it never waits. The holder
/// writes its name into `kuando_instance_owner`, where another process reads it to say who
/// serves an instance. When this process dies, the server ends its session and the locks are
/// free for the next process that tries. While this process lives, ``check()`` confirms the
/// locks every round: a connection the server closed (a database restart) is renewed and the
/// locks taken again, and only those another process took meanwhile are lost; a database that
/// does not answer is served through for ``unconfirmedLimit``, then every claim is given up.
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
    /// Since when ``check()`` has had no answer on an open connection.
    private var unconfirmedSince: ContinuousClock.Instant?
    /// How long this process serves on while its locks cannot be confirmed. The server must take
    /// longer to end a silent session (its `tcp_keepalives_*`; docs/scaling.md), or another
    /// process could take an instance this one still serves.
    public nonisolated let unconfirmedLimit: Duration

    /// The first key of every instance lock ("ku"); the migration lock uses the one-key form,
    /// which never conflicts with the two-key one.
    static let lockSpace: Int32 = 0x6B75

    init(location: PostgresLocation, owner: String, timeout: Duration, unconfirmedLimit: Duration = .seconds(20), logger: Logger) {
        self.location = location
        self.unconfirmedLimit = unconfirmedLimit
        self.owner = owner
        self.timeout = timeout
        self.logger = logger
    }

    public func claim(_ domains: [String]) async throws -> [String: InstanceClaim] {
        var claims: [String: InstanceClaim] = [:]
        for domain in domains where held.contains(domain) { claims[domain] = .held }
        let wanted = domains.filter { claims[$0] == nil }
        guard !wanted.isEmpty else { return claims }
        let connection = try await connected()
        do {
            let taken = try await lock(wanted, on: connection)
            held.formUnion(taken)
            for domain in taken { claims[domain] = .held }
            let elsewhere = wanted.filter { !taken.contains($0) }
            guard !elsewhere.isEmpty else { return claims }
            let owner = self.owner
            let holders = try await PostgresConfigStore.withDeadline(timeout, location) {
                var holders: [String: String] = [:]
                for try await (domain, holder) in try await connection.query(
                    "SELECT domain, owner FROM kuando_instance_owner WHERE domain = ANY(\(elsewhere)::text[])", logger: PostgresConfigStore.driverLogger
                ).decode((String, String).self) where holder != owner {
                    holders[domain] = holder
                }
                return holders
            }
            for domain in elsewhere { claims[domain] = .heldElsewhere(owner: holders[domain]) }
            return claims
        } catch {
            throw PostgresConfigStore.storeError(error, location)
        }
    }

    /// Takes the locks of `domains` on `connection` in one statement, without waiting, and writes
    /// this process as the owner of those it got; returns them.
    private func lock(_ domains: [String], on connection: PostgresConnection) async throws -> Set<String> {
        let space = Self.lockSpace
        let owner = self.owner
        return try await PostgresConfigStore.withDeadline(timeout, location) {
            var taken: [String] = []
            for try await (domain, locked) in try await connection.query(
                "SELECT domain, pg_try_advisory_lock(\(space), hashtext(domain)) FROM unnest(\(domains)::text[]) AS wanted (domain)",
                logger: PostgresConfigStore.driverLogger
            ).decode((String, Bool).self) where locked {
                taken.append(domain)
            }
            if !taken.isEmpty {
                _ = try await connection.query("""
                    INSERT INTO kuando_instance_owner (domain, owner) SELECT domain, \(owner) FROM unnest(\(taken)::text[]) AS taken (domain)
                    ON CONFLICT (domain) DO UPDATE SET owner = EXCLUDED.owner, since = now()
                    """, logger: PostgresConfigStore.driverLogger).collect()
            }
            return Set(taken)
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

    public func check() async -> Set<String> {
        guard !held.isEmpty else { return [] }
        do {
            var lost: Set<String> = []
            if let connection, !connection.isClosed {
                _ = try await PostgresConfigStore.withDeadline(timeout, location) {
                    try await connection.query("SELECT 1", logger: PostgresConfigStore.driverLogger).collect()
                }
            } else {
                // The server ended the session (a restart, a broken socket): its locks are gone.
                // Take them again on a new connection; those another process took meanwhile are lost.
                let connection = try await reconnect()
                lost = held.subtracting(try await lock(Array(held), on: connection))
                held.subtract(lost)
                logger.notice(
                    "the connection holding the instance locks was renewed", metadata: ["database": "\(location)", "kept": "\(held.sorted())", "lost": "\(lost.sorted())"])
            }
            if unconfirmedSince != nil {
                unconfirmedSince = nil
                logger.notice("the instance locks are confirmed again", metadata: ["database": "\(location)"])
            }
            return lost
        } catch {
            // Unconfirmed: no other process can take the instances while the database is away
            // from all; one that still reaches it can once the server ends this session. Serve on
            // for a while (a database restart, a short outage), then give everything up.
            let now = ContinuousClock.now
            let since = unconfirmedSince ?? now
            unconfirmedSince = since
            guard now - since >= unconfirmedLimit else {
                // The store's own warning says the database is away; this says what it means here.
                if since == now {
                    logger.notice(
                        "the instance locks cannot be confirmed: the database does not answer; this process serves on for at most \(unconfirmedLimit.components.seconds) s",
                        metadata: ["database": "\(location)", "error": "\(PostgresConfigStore.storeError(error, location))"])
                }
                return []
            }
            let lost = held
            logger.error(
                "the instance locks could not be confirmed for \(unconfirmedLimit.components.seconds) s: this process stops serving its instances and claims them again once the database answers",
                metadata: ["database": "\(location)", "instances": "\(lost.sorted())"])
            await drop()
            return lost
        }
    }

    public func releaseAll() async {
        for domain in held { await release(domain) }
        await drop()
    }

    /// The lock connection, made when there is none; one that closed while it held locks is
    /// renewed only by ``check()``, which takes the locks again.
    private func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        guard held.isEmpty else {
            throw ConfigStoreError.databaseUnreachable(endpoint: location.endpoint, reason: "the connection holding the instance locks closed")
        }
        return try await reconnect()
    }

    private func reconnect() async throws -> PostgresConnection {
        let closing = connection
        connection = nil
        try? await closing?.close()
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
        unconfirmedSince = nil
        let closing = connection
        connection = nil
        try? await closing?.close()
    }
}
