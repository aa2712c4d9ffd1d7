import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KuandoSync
import Timing

/// Which remote hubs the service itself may call: the guard against server-side request forgery.
///
/// A user can type any URL into the config app. Hubs on the user's own PC (exactly `localhost`,
/// or a literal loopback address) are reached through the user's myApps (relay) and never by the
/// service. Any other hub is called by the service directly, and only when every address its
/// host resolves to lies in a network the admin allowed with `--allow-hub-network` (default:
/// none). The checked address is the one connected to (``Route/direct(connectURL:hostHeader:)``),
/// so a name that resolves differently a moment later cannot slip past the check.
///
/// Names are resolved off the caller's actor, on a thread of their own, within ``resolveDeadline``:
/// a slow DNS server delays one user's check, never the sessions of everyone else.
public struct HubNetworkPolicy: Sendable {
    public let allowed: [IPNetwork]
    /// Call hubs on `localhost` directly instead of through the hidden app: only right where the
    /// service and the hub run on the same machine (a single-user Linux box, a demo).
    public let localHubsDirect: Bool
    /// How long a name may take to resolve.
    public let resolveDeadline: Duration
    private let resolve: @Sendable (String) async -> [IPAddress]

    public init(
        allowed: [IPNetwork], localHubsDirect: Bool = false, resolveDeadline: Duration = .seconds(3),
        resolve: @escaping @Sendable (String) async -> [IPAddress] = HubNetworkPolicy.systemResolve
    ) {
        self.allowed = allowed
        self.localHubsDirect = localHubsDirect
        self.resolveDeadline = resolveDeadline
        self.resolve = resolve
    }

    /// How a user's hub is reached.
    public enum Route: Equatable, Sendable {
        /// Through the user's hidden myApps app: the hub is on the user's own PC.
        case relay(URL)
        /// By the service: `connectURL` names the checked address; `hostHeader` keeps the name.
        case direct(connectURL: URL, hostHeader: String)
    }

    /// The route to `hubUrl`, or an error an admin or user can act on.
    public func route(for hubUrl: String) async throws(HubRouteError) -> Route {
        if let problem = HubURL.problem(hubUrl) { throw .invalid(problem) }
        guard var components = URLComponents(string: hubUrl), let host = components.host else {
            throw .invalid("\"\(hubUrl)\" is not a URL")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let hostHeader = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        if HubURL.isUserLocal(hubUrl) {
            guard localHubsDirect else {
                guard let url = components.url else { throw .invalid("\"\(hubUrl)\" is not a URL") }
                return .relay(url)
            }
            // The service calls it itself: only at a loopback address, the one connected to.
            let addresses = try await addresses(of: host)
            guard let first = addresses.first, addresses.allSatisfy(\.isLoopback) else {
                throw .notLoopback(host: host, addresses: addresses)
            }
            return try direct(&components, at: first, hostHeader: hostHeader, hubUrl: hubUrl)
        }
        guard !allowed.isEmpty else { throw .notAllowed(host: host, allowed: []) }
        let addresses = try await addresses(of: host)
        guard let first = addresses.first else { throw .unresolvable(host) }
        if let outside = addresses.first(where: { address in !allowed.contains { $0.contains(address) } }) {
            throw .notAllowed(host: outside.description == host ? host : "\(host) (\(outside))", allowed: allowed)
        }
        return try direct(&components, at: first, hostHeader: hostHeader, hubUrl: hubUrl)
    }

    private func direct(_ components: inout URLComponents, at address: IPAddress, hostHeader: String, hubUrl: String) throws(HubRouteError) -> Route {
        components.host = address.isIPv4 ? address.description : "[\(address.description)]"
        guard let connectURL = components.url else { throw .invalid("\"\(hubUrl)\" is not a URL") }
        return .direct(connectURL: connectURL, hostHeader: hostHeader)
    }

    /// The host's addresses: a literal as it is, a name resolved within ``resolveDeadline``.
    private func addresses(of host: String) async throws(HubRouteError) -> [IPAddress] {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let literal = IPAddress(bare) { return [literal] }
        let resolve = self.resolve
        let found: [IPAddress]?
        do {
            found = try await withTimeout(resolveDeadline) { await resolve(bare) }
        } catch {
            found = nil
        }
        guard let found else { throw .resolveTimedOut(host: host, after: resolveDeadline) }
        return found
    }

    /// Resolves a host name with the system resolver, on a thread of its own (`getaddrinfo`
    /// blocks, and must not block a Swift concurrency thread).
    public static let systemResolve: @Sendable (String) async -> [IPAddress] = { host in
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: blockingResolve(host)) }
        }
    }

    static func blockingResolve(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let head = list else { return [] }
        defer { freeaddrinfo(head) }
        var found: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = head
        while let entry = node {
            if let socketAddress = entry.pointee.ai_addr {
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        var address = v4.pointee.sin_addr
                        found.append(IPAddress(bytes: withUnsafeBytes(of: &address) { Array($0) }))
                    }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var address = v6.pointee.sin6_addr
                        found.append(IPAddress(bytes: withUnsafeBytes(of: &address) { Array($0) }))
                    }
                default:
                    break
                }
            }
            node = entry.pointee.ai_next
        }
        var unique: [IPAddress] = []
        for address in found where !unique.contains(address) { unique.append(address) }
        return unique
    }
}

/// Why the service will not call a user's hub.
public enum HubRouteError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    case unresolvable(String)
    case resolveTimedOut(host: String, after: Duration)
    case notAllowed(host: String, allowed: [IPNetwork])
    /// `--direct-local-hubs`, but the local name does not resolve to loopback only.
    case notLoopback(host: String, addresses: [IPAddress])

    public var description: String {
        switch self {
        case .invalid(let problem):
            "the hub URL \(problem)"
        case .unresolvable(let host):
            "the hub host \(host) cannot be resolved: check the name in the hub URL, or use the PC's IP address"
        case .resolveTimedOut(let host, let after):
            "the hub host \(host) did not resolve within \(after.components.seconds) s: check the DNS server, or use the PC's IP address"
        case .notLoopback(let host, let addresses):
            "the hub host \(host) resolves to \(addresses.isEmpty ? "nothing" : addresses.map(\.description).joined(separator: ", ")), not to this machine's loopback: "
                + "with --direct-local-hubs only localhost and loopback addresses are called directly"
        case .notAllowed(let host, let allowed) where allowed.isEmpty:
            "the service may not call the hub at \(host): remote hubs are off on this server; "
                + "the admin allows networks with --allow-hub-network CIDR (e.g. 10.0.0.0/8), or use a hub on this PC (http://localhost:8989/)"
        case .notAllowed(let host, let allowed):
            "the service may not call the hub at \(host): it is outside the networks the admin allowed ("
                + allowed.map(\.description).joined(separator: ", ") + ")"
        }
    }
}
