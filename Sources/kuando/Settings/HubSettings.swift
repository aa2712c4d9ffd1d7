import Logging

/// Everything `kuando hub` can be told, resolved from flags, environment, config file and
/// defaults (see ``SettingsResolver``) and checked before anything starts. The variables carry
/// `KUANDO_HUB_` so one machine can run the hub and the service from one environment.
struct HubSettings: CommandSettings {
    static let config = Setting("config", environment: "KUANDO_HUB_CONFIG", "JSON file with settings (keys are the flag names without --).")
    static let port = Setting("port", environment: "KUANDO_HUB_PORT", default: "8989", "TCP port to listen on.")
    static let listen = Setting(
        "listen", environment: "KUANDO_HUB_LISTEN", default: "127.0.0.1", "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for remote use.")
    static let token = Setting("token", environment: "KUANDO_HUB_TOKEN", secret: true, "Access token that requests from other machines must present.")
    static let lamp = Setting("lamp", environment: "KUANDO_HUB_LAMP", default: "hid", "Lamps to drive: hid (USB Busylights), simulated, or none.")
    static let allowOrigin = Setting(
        "allow-origin", environment: "KUANDO_HUB_ALLOW_ORIGIN",
        "A web origin (https://host[:port]) whose pages may call the hub from a browser: the address myApps loads the Connector's apps from; repeatable. Default: none (browsers may not call the hub).")
    static let allowHost = Setting(
        "allow-host", environment: "KUANDO_HUB_ALLOW_HOST",
        "A host name the hub answers to besides localhost and its IP addresses (requests naming another host are refused, against DNS rebinding); repeatable.")
    static let registry = Setting(
        "registry", environment: "KUANDO_HUB_REGISTRY",
        "JSON file keeping data sources and priorities across restarts (written atomically). Default: kept in memory only.")

    /// Every setting, in the order `--check-config` prints them.
    static let all: [Setting] = [config, port, listen, token, lamp, allowOrigin, allowHost, registry, .logFormat, .logLevel]

    var port: Int
    var listen: String
    var token: String?
    var lamp: LampKind
    var allowedOrigins: [String]
    var hostNames: [String]
    var registry: String?
    var logFormat: LogFormat
    var logLevel: Logger.Level
    var report: String

    /// Resolves and checks every setting. `flags` holds what was given on the command line, by key.
    init(flags: [String: [String]], environment: [String: String]) throws(SettingsError) {
        var resolver = try SettingsResolver(flags: flags, environment: environment, config: Self.config, known: Self.all)
        port = try resolver.value(Self.port, default: 8989, parse: SettingParsers.port)
        listen = try resolver.value(Self.listen, default: "127.0.0.1", parse: SettingParsers.nonEmpty)
        token = try resolver.optional(Self.token, absent: "(none: only this machine may call)", parse: Self.token)
        lamp = try resolver.value(Self.lamp, default: .hid, shown: \.rawValue, parse: SettingParsers.choice)
        allowedOrigins = try resolver.values(Self.allowOrigin, parse: SettingParsers.origin)
        hostNames = try resolver.values(Self.allowHost, parse: Self.hostName)
        registry = try resolver.optional(Self.registry, absent: "(none: kept in memory)", parse: SettingParsers.nonEmpty)
        logFormat = try resolver.value(.logFormat, default: .text, shown: \.rawValue, parse: SettingParsers.choice)
        logLevel = try resolver.value(.logLevel, default: .info, shown: \.rawValue, parse: SettingParsers.logLevel)
        report = resolver.report
    }

    private static func hostName(_ text: String) -> Result<String, SettingProblem> {
        !text.isEmpty && text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
            ? .success(text.lowercased())
            : .failure(SettingProblem("not a host name: write it like busylight-pc.office.example (no port, no scheme)"))
    }

    private static func token(_ text: String) -> Result<String, SettingProblem> {
        text.isEmpty || text.contains(where: \.isWhitespace) ? .failure(SettingProblem("must be non-empty and hold no spaces")) : .success(text)
    }
}
