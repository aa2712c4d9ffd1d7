/// The two apps of the connector, by the names of their pages (the AppWebsocket `app`).
public enum AppNames {
    /// The hidden background app ("Connector for kuando"): relays the hub, provides phoneinfo.
    public static let hidden = "innovaphone-connectorforkuando"
    /// The user's settings and lamp test ("Connector for kuando config").
    public static let config = "innovaphone-connectorforkuando-config"
    /// The licence a user needs, as the PBX names it.
    public static let licence = "App(innovaphone-kuando)"
}
