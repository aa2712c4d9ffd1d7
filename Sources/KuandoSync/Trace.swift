/// The trace prefixes of the seed: admins filter the myApps log for these.
public enum Trace {
    /// Lines from the background side (hidden app, service sessions).
    public static let connectorPrefix = "kuandoconnector-log:"
    /// Lines from the config app's side.
    public static let configPrefix = "kuandoconnector-config-log:"

    /// `text` with the connector prefix: `kuandoconnector-log: text`.
    public static func connector(_ text: String) -> String { "\(connectorPrefix) \(text)" }

    /// `text` with the config prefix: `kuandoconnector-config-log: text`.
    public static func config(_ text: String) -> String { "\(configPrefix) \(text)" }
}

extension Trace {
    /// `text` with control characters written as escapes (`\n`, `\r`, `\t`, `\u{1B}`; also the
    /// Unicode line and paragraph separators), so text that came from a peer (an application's
    /// or event's name, a call id) cannot start a line of its own in a log or a console. Text
    /// without them comes back unchanged, so escaping twice changes nothing.
    public static func escapingControlCharacters(_ text: String) -> String {
        // Printable ASCII (most lines) needs no look at each character's properties.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case let scalar where needsEscape(scalar): escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
