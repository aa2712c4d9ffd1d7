import KuandoHub
import Logging

/// Opens the config store a `--db` value names, as ``makeConfigStore(url:logger:)`` does, but
/// waits for a database server that is not reachable yet instead of giving up.
///
/// While the server does not answer (``ConfigStoreError/databaseUnreachable(endpoint:reason:)``)
/// the open is retried with capped exponential backoff; the log gets one warning with the
/// admin-facing error when the database is first missed and one notice once it is open, never a
/// line per try. Every other error (a wrong `--db`, a refused login, a missing database, a newer
/// schema) does not heal by waiting and is thrown at once.
///
/// ```swift
/// let store = try await openConfigStore(url: "postgres://kuando:secret@db:5432/kuando", logger: logger)
/// ```
/// - Throws: ``ConfigStoreError`` other than unreachable, or `CancellationError` when the task
///   is cancelled while waiting.
public func openConfigStore(
    url: String, logger: Logger, backoff: HubBackoff = HubBackoff(initial: .seconds(1), maximum: .seconds(30)),
    clock: any Clock<Duration> = ContinuousClock()
) async throws -> any ConfigStore {
    var backoff = backoff
    while true {
        do {
            let store = try await makeConfigStore(url: url, logger: logger)
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
