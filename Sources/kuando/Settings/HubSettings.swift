import KuandoHub

/// Everything `kuando hub` can be told, declared once each, resolved from flags, environment,
/// config file and defaults (see ``SettingsResolver``) and checked before anything starts. The
/// variables carry `KUANDO_HUB_` so one machine can run the hub and the service from one
/// environment.
struct HubSettings: CommandSettings {
    typealias Defaults = OpenHubServer.Configuration

    static let config = SettingOption<String>(
        "config", environment: "KUANDO_HUB_CONFIG", absent: "(none)", parse: SettingParsers.nonEmpty,
        "JSON file with settings (keys are the flag names without --).")
    static let port = SettingOption<Int>("port", environment: "KUANDO_HUB_PORT", default: Defaults.defaultPort, parse: SettingParsers.port, "TCP port to listen on.")
    static let listen = SettingOption<String>(
        "listen", environment: "KUANDO_HUB_LISTEN", default: Defaults.defaultHost, parse: SettingParsers.nonEmpty,
        "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for remote use.")
    static let token = SettingOption<String>(
        "token", environment: "KUANDO_HUB_TOKEN", absent: "(none: only this machine may call)", secret: true, parse: token,
        "Access token that requests from other machines must present.")
    static let lamp = SettingOption<LampKind>(
        "lamp", environment: "KUANDO_HUB_LAMP", default: .hid, shown: \.rawValue, parse: SettingParsers.choice,
        "Lamps to drive: hid (USB Busylights), simulated, or none.")
    static let allowOrigin = SettingOption<String>(
        "allow-origin", environment: "KUANDO_HUB_ALLOW_ORIGIN", kind: .list, parse: SettingParsers.origin,
        "A web origin (https://host[:port]) whose pages may call the hub from a browser: the address myApps loads the Connector's apps from; repeatable. Default: none (browsers may not call the hub).")
    static let allowHost = SettingOption<String>(
        "allow-host", environment: "KUANDO_HUB_ALLOW_HOST", kind: .list, parse: hostName,
        "A host name the hub answers to besides localhost and its IP addresses (requests naming another host are refused, against DNS rebinding); repeatable.")
    static let registry = SettingOption<String>(
        "registry", environment: "KUANDO_HUB_REGISTRY", absent: "(none: kept in memory)", parse: SettingParsers.nonEmpty,
        "JSON file keeping data sources and priorities across restarts (written atomically). Default: kept in memory only.")

    static let all: [Setting] = [
        Self.config.setting, Self.port.setting, Self.listen.setting, Self.token.setting, Self.lamp.setting, Self.allowOrigin.setting, Self.allowHost.setting, Self.registry.setting,
    ] + LogSettings.all

    var port: Int
    var listen: String
    var token: String?
    var lamp: LampKind
    var allowedOrigins: [String]
    var hostNames: [String]
    var registry: String?
    var log: LogSettings

    init(resolver: inout SettingsResolver) throws(SettingsError) {
        port = try resolver.value(Self.port)
        listen = try resolver.value(Self.listen)
        token = try resolver.optional(Self.token)
        lamp = try resolver.value(Self.lamp)
        allowedOrigins = try resolver.values(Self.allowOrigin)
        hostNames = try resolver.values(Self.allowHost)
        registry = try resolver.optional(Self.registry)
        log = try LogSettings(resolver: &resolver)
    }

    /// The open hub's configuration from these settings.
    var configuration: OpenHubServer.Configuration {
        OpenHubServer.Configuration(
            host: listen, port: port, access: OpenHubAccess(token: token), origins: BrowserOrigins(allowed: allowedOrigins), hostNames: hostNames)
    }

    @Sendable private static func hostName(_ text: String) -> Result<String, SettingProblem> {
        !text.isEmpty && text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
            ? .success(text.lowercased())
            : .failure(SettingProblem("not a host name: write it like busylight-pc.office.example (no port, no scheme)"))
    }

    @Sendable private static func token(_ text: String) -> Result<String, SettingProblem> {
        text.isEmpty || text.contains(where: \.isWhitespace) ? .failure(SettingProblem("must be non-empty and hold no spaces")) : .success(text)
    }
}
