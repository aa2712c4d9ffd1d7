import Foundation
import Logging
import PostgresNIO
import Timing

extension PostgresConfigStore {
    /// PostgresNIO's own logger, silenced: at trace level it would print statement data, and a
    /// config holds the hub token. The store logs reachability changes itself.
    static let driverLogger = Logger(label: "kuando.store.postgres-driver", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body`, failing with ``ConfigStoreError/databaseUnreachable(endpoint:reason:)`` when it
    /// has not finished within `timeout` (a server that is down, or accepts TCP but never answers).
    static func withDeadline<T: Sendable>(
        _ timeout: Duration, _ location: PostgresLocation, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard let value = try await withTimeout(timeout, body) else {
            throw ConfigStoreError.databaseUnreachable(endpoint: location.endpoint, reason: "no answer within \(timeout.components.seconds) s")
        }
        return value
    }

    /// What went wrong, in a store error that names host:port and what to do, never the password
    /// nor a statement's data.
    static func storeError(_ error: any Error, _ location: PostgresLocation) -> ConfigStoreError {
        if let error = error as? ConfigStoreError { return error }
        if let error = error as? PostgresTransactionError,
           let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
            return storeError(cause, location)
        }
        let endpoint = location.endpoint
        guard let error = error as? PSQLError else {
            // The pool gives up waiting for a connection after repeated failures.
            return .databaseUnreachable(endpoint: endpoint, reason: "no connection could be made (\(type(of: error)))")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "an error without message"
            switch state {
            case "28P01", "28000":
                return .databaseRefused(
                    endpoint: endpoint,
                    reason: "user \(location.username) cannot log in (\(message)); check the user and password in --db and pg_hba.conf")
            case "3D000":
                return .databaseRefused(
                    endpoint: endpoint,
                    reason: "database \(location.database) does not exist; create it (createdb -h \(location.host) -p \(location.port) "
                        + "-U \(location.username) \(location.database)) or name an existing one in --db")
            case "42501":
                return .databaseRefused(
                    endpoint: endpoint,
                    reason: "user \(location.username) lacks a privilege (\(message)); grant it CREATE and USAGE on the schema "
                        + "public of \(location.database), or use the database's owner")
            case "57P01", "57P02", "57P03":
                return .databaseUnreachable(endpoint: endpoint, reason: "the server is shutting down or starting (\(message))")
            case _ where state.hasPrefix("08"):
                return .databaseUnreachable(endpoint: endpoint, reason: message)
            default:
                return .databaseFailed(endpoint: endpoint, reason: "\(message) (SQLSTATE \(state))")
            }
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return .databaseUnreachable(endpoint: endpoint, reason: connectionReason(error.underlying, location))
        case .sslUnsupported:
            return .databaseRefused(
                endpoint: endpoint,
                reason: "the server offers no TLS but --db asks for sslmode=require; enable ssl on the server or use sslmode=prefer")
        case .authMechanismRequiresPassword:
            return .databaseRefused(endpoint: endpoint, reason: "the server asks for a password; add it to --db (postgres://USER:PASSWORD@…)")
        case .saslError, .unsupportedAuthMechanism:
            return .databaseRefused(
                endpoint: endpoint,
                reason: "login of user \(location.username) failed (\(error.code)); check the password in --db and pg_hba.conf")
        default:
            return .databaseFailed(endpoint: endpoint, reason: "\(error.code)")
        }
    }

    /// The socket-level cause, e.g. "Connection refused", without the driver's internals.
    private static func connectionReason(_ underlying: (any Error)?, _ location: PostgresLocation) -> String {
        switch underlying {
        case let error as NIOConnectionError:
            if error.dnsAError != nil, error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "the host name \(location.host) does not resolve"
            }
            if let first = error.connectionErrors.first { return connectionReason(first.error, location) }
            return "no connection"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as ChannelError:
            if case .connectTimeout = error { return "no TCP connection within the timeout" }
            return "\(error)"
        case .some(let error):
            return "\(error)"
        case .none:
            return "the connection closed"
        }
    }

    static func clientTLS(_ location: PostgresLocation) -> PostgresClient.Configuration.TLS {
        switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(unverifiedTLS)
        case .require: .require(unverifiedTLS)
        }
    }

    static func connectionTLS(_ location: PostgresLocation) throws(ConfigStoreError) -> PostgresConnection.Configuration.TLS {
        guard location.tls != .disable else { return .disable }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: unverifiedTLS)
        } catch {
            throw .databaseFailed(endpoint: location.endpoint, reason: "TLS could not be set up (\(error))")
        }
        return location.tls == .require ? .require(context) : .prefer(context)
    }

    /// libpq's `prefer` and `require` encrypt without checking the certificate; so do we.
    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}
