import Foundation

/// The address of the client behind a reverse proxy the admin trusts, for counting failed logins
/// and connections per client instead of per proxy.
///
/// Only when the socket peer is a trusted proxy are the forwarding headers read: `Forwarded`
/// (RFC 7239, its `for=` parameters) if present, else `X-Forwarded-For`. The list is read from
/// the right (the hop nearest to us) and trusted proxies are skipped; the first address that is
/// not a trusted proxy is the client. A header that cannot be read leaves the socket peer, so a
/// client cannot pick its own address by sending such headers to the service directly.
///
/// ```swift
/// ClientAddress.resolve(peer: "10.0.0.2", forwarded: nil, xForwardedFor: "203.0.113.7, 10.0.0.3",
///                       trusted: [IPNetwork("10.0.0.0/8")!])   // "203.0.113.7"
/// ```
public enum ClientAddress {
    public static func resolve(peer: String?, forwarded: String?, xForwardedFor: String?, trusted: [IPNetwork]) -> String? {
        guard let peer, isTrusted(peer, trusted) else { return peer }
        let hops = forwarded.map(forwardedFor) ?? xForwardedFor.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { return peer }
            if !isTrusted(address.description, trusted) { return address.unmapped.description }
        }
        return peer
    }

    private static func isTrusted(_ text: String, _ trusted: [IPNetwork]) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return trusted.contains { $0.contains(address) }
    }

    /// The `for=` values of a `Forwarded` header, in order, without quotes, brackets or ports.
    static func forwardedFor(_ header: String) -> [String] {
        header.split(separator: ",").compactMap { element in
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0].lowercased() == "for" else { continue }
                var value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if value.hasPrefix("["), let end = value.firstIndex(of: "]") {
                    value = String(value[value.index(after: value.startIndex)..<end])
                } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
                    value = String(value[..<colon])
                }
                return value
            }
            return "unknown"
        }
    }
}
