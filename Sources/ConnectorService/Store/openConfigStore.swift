import Logging
import Timing

/// Opens the config store a `--db` value names: `sqlite:PATH` or `postgres://…`
/// (see ``ConfigStoreLocation``).
///
/// With `retrying`, a database server that is not reachable yet
/// (``ConfigStoreError/databaseUnreachable(endpoint:reason:)``) is waited for: the open is tried
/// again on that capped exponential backoff, and the log gets one warning with the admin-facing
/// error when the database is first missed and one notice once it is open, never a line per try.
/// Every other error (a wrong `--db`, a refused login, a missing database, a newer schema) does
/// not heal by waiting and is thrown at once.
///
/// ```swift
/// let store = try await openConfigStore(url: "sqlite:./kuando-data/connector.sqlite", logger: logger)
/// let shared = try await openConfigStore(url: "postgres://kuando:secret@db:5432/kuando", logger: logger, retrying: Backoff(maximum: .seconds(30)))
/// ```
/// - Throws: ``ConfigStoreError`` saying what is wrong with the value or why the database cannot
///   be used, or `CancellationError` when the task is cancelled while waiting.
public func openConfigStore(
    url: String, logger: Logger, retrying backoff: Backoff? = nil, clock: any Clock<Duration> = ContinuousClock()
) async throws -> any ConfigStore {
    guard var backoff else { return try await openConfigStoreOnce(url: url, logger: logger) }
    while true {
        do {
            let store = try await openConfigStoreOnce(url: url, logger: logger)
            if backoff.attempt > 0 {
                logger.notice("config database reachable, the service starts", metadata: ["failed attempts": "\(backoff.attempt)"])
            }
            return store
        } catch let error as ConfigStoreError {
            guard case .databaseUnreachable = error else { throw error }
            if backoff.attempt == 0 {
                logger.warning("config database not reachable, the service waits for it and retries with backoff", metadata: ["error": "\(error)"])
            }
            try await clock.sleep(for: backoff.nextDelay())
        }
    }
}

private func openConfigStoreOnce(url: String, logger: Logger) async throws -> any ConfigStore {
    switch try ConfigStoreLocation(parsing: url) {
    case .sqlite(let path):
        let store = try SQLiteConfigStore(path: path)
        logger.notice("config database opened", metadata: ["database": "sqlite:\(path)"])
        return store
    case .postgres(let location):
        let store = try await PostgresConfigStore.open(location, logger: logger)
        logger.notice("config database opened", metadata: ["database": "\(location)"])
        return store
    }
}
