import KuandoSync

/// Why the config store could not do what was asked, in words an admin can act on.
///
/// No case carries a password or a config (and so never a hub token).
public enum ConfigStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--db` is not a location the service understands.
    case unsupportedLocation(String)
    /// `--db` has the right scheme but something in it is wrong.
    case invalidLocation(location: String, problem: String)
    /// The SQLite file could not be created, opened or written.
    case sqliteFailed(path: String, reason: String)
    /// No connection to the PostgreSQL server at `endpoint` (`host:port`).
    case databaseUnreachable(endpoint: String, reason: String)
    /// The PostgreSQL server answered but refused: wrong password, missing database, no rights.
    case databaseRefused(endpoint: String, reason: String)
    /// The PostgreSQL server at `endpoint` could not carry out a statement.
    case databaseFailed(endpoint: String, reason: String)
    /// The database holds a schema newer than this version of the service knows.
    case schemaTooNew(found: Int, known: Int)
    /// A config with problems is never stored.
    case invalidConfig(user: UserKey, problems: [ConfigProblem])
    /// The stored config of `user` cannot be decoded at all (keys that are only missing are fine).
    case unreadableConfig(user: UserKey, reason: String)

    public var description: String {
        switch self {
        case .unsupportedLocation(let location):
            "config database \"\(location)\" is not supported: use sqlite:PATH (a file, created when missing) "
                + "or postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        case .invalidLocation(let location, let problem):
            "config database \(location): \(problem)"
        case .sqliteFailed(let path, let reason):
            "config database \(path) cannot be used: \(reason); check that the directory exists or can be "
                + "created, is writable by the service's user and the disk is not full"
        case .databaseUnreachable(let endpoint, let reason):
            "PostgreSQL at \(endpoint) is not reachable: \(reason); check that the server runs and accepts "
                + "TCP connections on \(endpoint) (listen_addresses, port, firewall); the service retries"
        case .databaseRefused(let endpoint, let reason):
            "PostgreSQL at \(endpoint) refused: \(reason)"
        case .databaseFailed(let endpoint, let reason):
            "PostgreSQL at \(endpoint) failed: \(reason)"
        case .schemaTooNew(let found, let known):
            "the config database has schema version \(found) but this service knows only up to \(known): "
                + "it was written by a newer kuando-connector; run that version or restore a backup"
        case .invalidConfig(let user, let problems):
            "config of \(user) not stored: " + problems.map(\.description).joined(separator: "; ")
        case .unreadableConfig(let user, let reason):
            "stored config of \(user) cannot be read (\(reason)); save the config again in the config app "
                + "to replace it"
        }
    }
}
