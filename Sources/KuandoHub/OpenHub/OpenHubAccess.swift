import NIOCore

/// Who may use the open hub: as with kuandoHUB, requests from the same machine need no token;
/// requests from anywhere else must present the hub's token (`http_token` header or
/// `accesstoken` query parameter). A hub started without a token refuses every remote request.
public struct OpenHubAccess: Sendable {
    /// The token remote peers must present; nil or empty: remote peers are refused.
    public var token: String?
    /// Which peers count as the same machine; ``isLoopback(_:)`` unless a test injects another rule.
    public var isLocalPeer: @Sendable (SocketAddress?) -> Bool

    public init(token: String?, isLocalPeer: @escaping @Sendable (SocketAddress?) -> Bool = OpenHubAccess.isLoopback) {
        self.token = token
        self.isLocalPeer = isLocalPeer
    }

    /// True when a request from `peer` presenting `presented` (header or query token) may proceed.
    public func allows(peer: SocketAddress?, presented: String?) -> Bool {
        if isLocalPeer(peer) { return true }
        guard let token, !token.isEmpty, let presented else { return false }
        return Self.constantTimeEquals(Array(token.utf8), Array(presented.utf8))
    }

    /// True for 127.0.0.0/8, ::1, IPv4-mapped loopback and Unix sockets; false for anything
    /// else and for an unknown peer.
    @Sendable public static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        if case .unixDomainSocket = address { return true }
        guard let ip = address.ipAddress?.lowercased() else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.") || ip == "0:0:0:0:0:0:0:1"
    }

    /// Compares without an early exit, so timing does not reveal how much of a guess was right.
    static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}
