import Foundation
import KuandoSync

/// How a ``UserConfig`` is kept in a database column: JSON with sorted camelCase keys.
///
/// JSON rather than a column per setting, so a new setting needs no migration: rows written
/// before it existed lack the key and ``UserConfig``'s decoder fills in its default.
enum StoredConfig {
    static func encode(_ config: UserConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of strings, numbers, booleans and string-keyed maps cannot fail.
        let data = (try? encoder.encode(config)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// ``UserConfig/defaults`` as stored, encoded once: a first open stores it.
    static let defaults = encode(.defaults)

    static func decode(_ json: String, for user: UserKey) throws(ConfigStoreError) -> UserConfig {
        // A user who never changed a setting: no decoding.
        if json == defaults { return .defaults }
        do {
            return try JSONDecoder().decode(UserConfig.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw .unreadableConfig(user: user, reason: Self.reason(error))
        } catch {
            throw .unreadableConfig(user: user, reason: "not JSON")
        }
    }

    /// Each user's stored config decoded; users without a row get ``ConfigStoreError/unreadableConfig(user:reason:)``.
    static func decode(_ stored: [UserKey: String], for users: [UserKey]) -> [UserKey: Result<UserConfig, ConfigStoreError>] {
        var configs: [UserKey: Result<UserConfig, ConfigStoreError>] = [:]
        configs.reserveCapacity(users.count)
        for user in users {
            guard let json = stored[user] else {
                configs[user] = .failure(.unreadableConfig(user: user, reason: "no row after it was created"))
                continue
            }
            configs[user] = Result { () throws(ConfigStoreError) in try decode(json, for: user) }
        }
        return configs
    }

    /// Names where the stored JSON is wrong without quoting its values (they may hold a token).
    private static func reason(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "the top level" : names.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)) is not a \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) is null, expected \(type)"
        case .keyNotFound(let key, let context): return "\(path(context)) lacks \(key.stringValue)"
        case .dataCorrupted(let context): return "\(path(context)) is not valid JSON"
        @unknown default: return "not a config"
        }
    }
}
