import Foundation

/// Where the config database is, as given with `--db`.
///
/// - `sqlite:PATH` — an SQLite file (relative paths are relative to the working directory);
///   the file and its directory are created when missing.
/// - `postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=disable|prefer|require]` — a
///   PostgreSQL server (`postgresql://` works too; the port defaults to 5432).
///
/// ``description`` never shows the password.
public enum ConfigStoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Parses a `--db` value; throws ``ConfigStoreError`` naming what is wrong.
    public init(parsing text: String) throws(ConfigStoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite:") {
            let path = String(trimmed.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw .invalidLocation(location: trimmed, problem: "name the file, e.g. sqlite:./kuando-data/connector.sqlite")
            }
            self = .sqlite(path: path)
        } else if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(parsing: trimmed))
        } else {
            throw .unsupportedLocation(PostgresLocation.redacting(trimmed))
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL server and database, from a `postgres://` URL.
public struct PostgresLocation: Equatable, Sendable, CustomStringConvertible {
    /// How the connection is encrypted, with libpq's `sslmode` names.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise; the certificate is not verified.
        case prefer
        /// TLS or no connection; the certificate is not verified.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// `host:port`, with IPv6 hosts in brackets.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL without the password.
    public var description: String {
        "postgres://\(username)@\(endpoint)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    init(parsing text: String) throws(ConfigStoreError) {
        let shown = Self.redacting(text)
        func invalid(_ problem: String) -> ConfigStoreError { .invalidLocation(location: shown, problem: problem) }
        guard let components = URLComponents(string: text) else {
            throw invalid("is not a URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special characters)")
        }
        guard var host = components.host, !host.isEmpty else { throw invalid("names no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let username = components.user, !username.isEmpty else {
            throw invalid("names no user; write postgres://USER:PASSWORD@\(host)/DATABASE")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw invalid("names no database; write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw invalid("has an unknown option \(item.name); only sslmode is understood") }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw invalid("sslmode must be one of " + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            tls = mode
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("port \(port) is out of range") }
        self.init(host: host, port: port, username: username, password: components.password, database: database, tls: tls)
    }

    /// `text` with anything between `://user:` and `@` replaced, for error messages.
    static func redacting(_ text: String) -> String {
        guard let scheme = text.range(of: "://"),
              let at = text[scheme.upperBound...].lastIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
