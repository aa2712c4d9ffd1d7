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
