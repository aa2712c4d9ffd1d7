import Foundation

/// Checks and classifies the hub URL a user configured.
public enum HubURL {
    /// Why `text` is not a usable hub URL, or nil when it is.
    public static func problem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "\"\(text)\" is not a URL; write it like http://localhost:8989/"
        }
        guard scheme == "http" || scheme == "https" else {
            return "must start with http:// or https://, got \(scheme)://"
        }
        guard let host = components.host, !host.isEmpty else {
            return "names no host; write it like http://10.0.0.5:8989/"
        }
        if components.user != nil || components.password != nil {
            return "must not carry a user or password; put the access token in hubToken"
        }
        return nil
    }

    /// True when the URL points at the user's own PC: exactly `localhost`, a literal IPv4
    /// loopback address (`127.x.x.x`) or `::1`. Only the user's myApps can reach such a hub, so
    /// it is relayed through the hidden app. Names are not read for what they look like:
    /// `127.evil.example` or `hub.localhost` are ordinary remote names.
    public static func isUserLocal(_ text: String) -> Bool {
        guard let host = URLComponents(string: text)?.host?.lowercased() else { return false }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || isLoopbackLiteral(bare)
    }

    /// `127.a.b.c` written as four decimal numbers 0–255, or the IPv6 loopback `::1`.
    static func isLoopbackLiteral(_ host: String) -> Bool {
        if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }) else {
            return false
        }
        return parts[0] == "127"
    }
}
