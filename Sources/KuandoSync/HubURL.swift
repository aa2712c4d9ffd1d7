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

    /// True when the URL points at the user's own PC (`localhost`, `127.x.x.x`, `::1`): only the
    /// user's myApps can reach such a hub, so it is relayed through the hidden app.
    public static func isUserLocal(_ text: String) -> Bool {
        guard let host = URLComponents(string: text)?.host?.lowercased() else { return false }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare.hasPrefix("127.") || bare == "::1"
    }
}
