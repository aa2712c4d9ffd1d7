/// Whether this process may serve an instance, or which process does.
public enum InstanceClaim: Equatable, Sendable {
    /// This process holds the instance.
    case held
    /// Another process holds it; `owner` is its name (``InstanceClaims/owner``), or `nil` when
    /// it did not write one (yet).
    case heldElsewhere(owner: String?)
}

/// One holder per instance among the processes sharing a config store.
///
/// A claim lasts until ``release(_:)``, ``releaseAll()`` or until it is lost: on PostgreSQL when
/// the session that holds the locks ends (the process died, the database restarted, or it could
/// not be reached for too long). ``check()`` finds out; the process stops serving the instances
/// it returns, then claims them again like any other.
public protocol InstanceClaims: Sendable {
    /// This process's name as other processes see it, e.g. `host-a pid 4711`.
    var owner: String { get }

    /// Tries to take each of `domains` (`.held` also when this process holds it already); one
    /// answer per domain.
    func claim(_ domains: [String]) async throws -> [String: InstanceClaim]

    /// Gives `domain` up, so another process may take it.
    func release(_ domain: String) async

    /// Confirms the claims held; returns those that are lost.
    func check() async -> Set<String>

    /// Gives every claim up (graceful shutdown).
    func releaseAll() async
}

/// The claims of a store one process uses (SQLite): every claim is granted.
public struct LocalInstanceClaims: InstanceClaims {
    public let owner: String

    public init(owner: String) { self.owner = owner }

    public func claim(_ domains: [String]) async throws -> [String: InstanceClaim] {
        Dictionary(domains.map { ($0, .held) }) { first, _ in first }
    }
    public func release(_ domain: String) async {}
    public func check() async -> Set<String> { [] }
    public func releaseAll() async {}
}
