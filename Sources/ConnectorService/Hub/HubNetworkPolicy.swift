import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KuandoSync

/// Which remote hubs the service itself may call: the guard against server-side request forgery.
///
/// A user can type any URL into the config app. Hubs on the user's own PC (`localhost`) are
/// reached through the user's myApps (relay) and never by the service. Any other hub is called
/// by the service directly, and only when every address its host resolves to lies in a network
/// the admin allowed with `--allow-hub-network` (default: none). The checked address is the one
/// connected to (``Target/connectURL``), so a name that resolves differently a moment later
/// cannot slip past the check.
public struct HubNetworkPolicy: Sendable {
    public let allowed: [IPNetwork]
    /// Call hubs on `localhost` directly instead of through the hidden app: only right where the
    /// service and the hub run on the same machine (a single-user Linux box, a demo).
    public let localHubsDirect: Bool
    private let resolve: @Sendable (String) -> [IPAddress]

    public init(
        allowed: [IPNetwork], localHubsDirect: Bool = false,
        resolve: @escaping @Sendable (String) -> [IPAddress] = HubNetworkPolicy.systemResolve
    ) {
        self.allowed = allowed
        self.localHubsDirect = localHubsDirect
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
    public func route(for hubUrl: String) throws(HubRouteError) -> Route {
        if let problem = HubURL.problem(hubUrl) { throw .invalid(problem) }
        guard var components = URLComponents(string: hubUrl), let host = components.host else {
            throw .invalid("\"\(hubUrl)\" is not a URL")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let hostHeader = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        if HubURL.isUserLocal(hubUrl) {
            guard let url = components.url else { throw .invalid("\"\(hubUrl)\" is not a URL") }
            return localHubsDirect ? .direct(connectURL: url, hostHeader: hostHeader) : .relay(url)
        }
        guard !allowed.isEmpty else { throw .notAllowed(host: host, allowed: []) }
        let addresses = IPAddress(host).map { [$0] } ?? resolve(host)
        guard let first = addresses.first else { throw .unresolvable(host) }
        if let outside = addresses.first(where: { address in !allowed.contains { $0.contains(address) } }) {
            throw .notAllowed(host: outside.description == host ? host : "\(host) (\(outside))", allowed: allowed)
        }
        components.host = first.isIPv4 ? first.description : "[\(first.description)]"
        guard let connectURL = components.url else { throw .invalid("\"\(hubUrl)\" is not a URL") }
        return .direct(connectURL: connectURL, hostHeader: hostHeader)
    }

    /// Resolves a host name with the system resolver.
    public static let systemResolve: @Sendable (String) -> [IPAddress] = { host in
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
    case notAllowed(host: String, allowed: [IPNetwork])

    public var description: String {
        switch self {
        case .invalid(let problem):
            "the hub URL \(problem)"
        case .unresolvable(let host):
            "the hub host \(host) cannot be resolved: check the name in the hub URL, or use the PC's IP address"
        case .notAllowed(let host, let allowed) where allowed.isEmpty:
            "the service may not call the hub at \(host): remote hubs are off on this server; "
                + "the admin allows networks with --allow-hub-network CIDR (e.g. 10.0.0.0/8), or use a hub on this PC (http://localhost:8989/)"
        case .notAllowed(let host, let allowed):
            "the service may not call the hub at \(host): it is outside the networks the admin allowed ("
                + allowed.map(\.description).joined(separator: ", ") + ")"
        }
    }
}
