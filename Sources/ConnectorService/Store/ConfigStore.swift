import KuandoSync
import ServiceLifecycle

/// Where the service keeps each user's ``UserConfig`` and its own instance settings.
///
/// Two implementations: ``SQLiteConfigStore`` (an embedded file, the default) and
/// ``PostgresConfigStore`` (a shared server, as on the innovaphone App Platform). Pick one with
/// ``openConfigStore(url:logger:)``:
///
/// ```swift
/// let store = try await openConfigStore(url: "sqlite:./kuando-data/connector.sqlite", logger: logger)
/// let config = try await store.whileRunning {
///     try await store.configOrDefaults(for: UserKey(domain: "example.com", guid: guid, sip: "alice"))
/// }
/// ```
///
/// A store is a `Service`: in `kuando serve` it runs first in the application's group and stops
/// last (``ConnectorApplication``); a command or a test runs it around its work with
/// ``whileRunning(_:)``. Operations need it running (PostgreSQL's pool runs in ``run()``); it
/// may run again after a run ended.
///
/// Contracts every implementation keeps:
/// - Users are keyed by PBX domain + user GUID; one user's writes never change another's config.
/// - A write that returned is durable: it survives the process being killed right after.
/// - Stored configs are decoded tolerantly: keys an older version did not write take their defaults.
/// - Nothing here logs a config, and so never a hub token.
/// - Failures are thrown as ``ConfigStoreError``, whose text says what to do.
public protocol ConfigStore: Service {
    /// The stored config of `user`, or `nil` when the user has none yet.
    func config(for user: UserKey) async throws -> UserConfig?

    /// The stored config of `user`; on the user's first open ``UserConfig/defaults`` is stored
    /// and returned. Atomic: concurrent first opens (even from several processes) store one row
    /// and all return the same config.
    func configOrDefaults(for user: UserKey) async throws -> UserConfig

    /// ``configOrDefaults(for:)`` for many users at once, as the service starts and the PBX
    /// announces thousands: one read for all, one write for those opened the first time. A row
    /// that cannot be read fails only its own user. Throws when the database fails.
    func configsOrDefaults(for users: [UserKey]) async throws -> [UserKey: Result<UserConfig, ConfigStoreError>]

    /// Stores `config` as the whole config of `user` (and remembers `user.sip`). Returns once the
    /// write is durable. Throws ``ConfigStoreError/invalidConfig(user:problems:)`` and stores
    /// nothing when `config` has ``UserConfig/problems()``.
    func save(_ config: UserConfig, for user: UserKey) async throws

    /// How many users have a stored config.
    func userCount() async throws -> Int

    /// Returns once the database answered a trivial query (`SELECT 1`): what `/readyz` asks on
    /// every probe, so it costs the database nothing however many users there are.
    func ping() async throws

    /// The instance password of the service serving `domain` (the password the PBX App objects
    /// use). The first call stores the value `generate` returns; every later call, also after a
    /// restart, returns that stored value. Services sharing one database keep one password each.
    func instancePassword(domain: String, generate: @Sendable () -> String) async throws -> String

    /// The stored instance password of `domain`, nil when none was stored yet. Generates nothing.
    func storedInstancePassword(domain: String) async throws -> String?

    /// Stores `password` as the instance password of `domain`, replacing the one stored before
    /// (`kuando serve --domain D --password P` and `kuando instance add D --password P`).
    func setInstancePassword(domain: String, password: String) async throws

    /// Every instance (a domain with a stored password), ordered by domain. The instance keeper
    /// reads it every round, so it reads nothing else.
    func instances() async throws -> [StoredInstance]

    /// How many user configs each domain holds (domains without any are left out).
    func userCounts() async throws -> [String: Int]

    /// Removes the instance of `domain`: its settings and its users' configs. Returns how many
    /// user configs went; 0 and no error when there was no such instance.
    func removeInstance(domain: String) async throws -> Int

    /// How processes sharing this store take turns at an instance, `owner` naming this one
    /// (``InstanceClaims``): PostgreSQL's advisory locks, or, for a SQLite file that one process
    /// uses, every claim granted.
    func makeClaims(owner: String) -> any InstanceClaims
}

/// An instance as the store holds it.
public struct StoredInstance: Equatable, Sendable {
    /// The PBX domain; empty for the domain-less instance of a `kuando serve` without `--domain`.
    public var domain: String
    public var password: String

    public init(domain: String, password: String) {
        self.domain = domain
        self.password = password
    }
}

extension ConfigStore {
    /// Runs the store for as long as `body` takes: for a command or a test outside a service group.
    public func whileRunning<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// The instance password of the service serving `domain`, a fresh ``InstancePassword/generate()``
    /// stored on the first call.
    public func instancePassword(domain: String) async throws -> String {
        try await instancePassword(domain: domain, generate: { InstancePassword.generate() })
    }
}
