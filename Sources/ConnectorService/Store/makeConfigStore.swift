import Logging

/// Opens the config store a `--db` value names: `sqlite:PATH` or `postgres://…`
/// (see ``ConfigStoreLocation``). Throws ``ConfigStoreError`` saying what is wrong with the
/// value or why the database cannot be used.
///
/// ```swift
/// let store = try await makeConfigStore(url: "postgres://kuando:secret@127.0.0.1:5432/kuando", logger: logger)
/// ```
public func makeConfigStore(url: String, logger: Logger) async throws -> any ConfigStore {
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
