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
/// A claim lasts until ``release(_:)``, ``releaseAll()`` or until the claims are lost: on
/// PostgreSQL when the connection that holds the locks breaks (the process died, or it lost the
/// database). ``check()`` finds out; after it returned `false`, nothing is held and the process
/// must stop serving every instance it served, then claim again.
public protocol InstanceClaims: Sendable {
    /// This process's name as other processes see it, e.g. `host-a pid 4711`.
    var owner: String { get }

    /// Tries to take `domain`; `.held` also when this process holds it already.
    func claim(_ domain: String) async throws -> InstanceClaim

    /// Gives `domain` up, so another process may take it.
    func release(_ domain: String) async

    /// Whether the claims still stand; `false` means every claim is lost.
    func check() async -> Bool

    /// Gives every claim up (graceful shutdown).
    func releaseAll() async
}

/// The claims of a store one process uses (SQLite): every claim is granted.
public struct LocalInstanceClaims: InstanceClaims {
    public let owner: String

    public init(owner: String) { self.owner = owner }

    public func claim(_ domain: String) async throws -> InstanceClaim { .held }
    public func release(_ domain: String) async {}
    public func check() async -> Bool { true }
    public func releaseAll() async {}
}
