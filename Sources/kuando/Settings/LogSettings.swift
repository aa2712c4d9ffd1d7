import Logging

/// How both long-running commands (`serve`, `hub`) log: the two settings they share, declared
/// and read once here.
struct LogSettings {
    static let format = SettingOption<LogFormat>(
        "log-format", environment: "KUANDO_LOG_FORMAT", default: .text, shown: \.rawValue, parse: SettingParsers.choice,
        "Log lines as text, or json (one object per line: time, level, label, message, metadata).")
    static let level = SettingOption<Logger.Level>(
        "log-level", environment: "KUANDO_LOG_LEVEL", default: .info, shown: \.rawValue, parse: SettingParsers.logLevel,
        "Least severe log level written: trace, debug, info, notice, warning, error, critical.")

    /// In the order `--help` shows them, after each command's own settings.
    static let all: [Setting] = [format.setting, level.setting]

    var format: LogFormat
    var level: Logger.Level

    init(resolver: inout SettingsResolver) throws(SettingsError) {
        format = try resolver.value(Self.format)
        level = try resolver.value(Self.level)
    }

    /// Sets up the process's logging as these settings say.
    func bootstrap() { format.bootstrap(level: level) }
}
