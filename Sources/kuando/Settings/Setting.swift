import ArgumentParser

/// One setting of `kuando serve` or `kuando hub`, and the names it goes by: the flag `--KEY`,
/// the environment variable, and `KEY` in the config file.
///
/// Where a value comes from, first match wins: the flag, the environment variable, the config
/// file, the default. ``help`` is what `--help` shows, with the variable and the default.
struct Setting: Sendable {
    /// The config file key; the flag is `--` + key.
    let key: String
    let environment: String
    /// The default as shown in help, nil when the setting has none.
    let defaultText: String?
    /// A password or token: never printed, not even in errors.
    let isSecret: Bool
    /// A value that may hold a password (a database URL): errors do not echo it; its parser
    /// shows it without the password.
    let holdsCredentials: Bool
    let summary: String

    init(
        _ key: String, environment: String, default defaultText: String? = nil, secret: Bool = false, credentials: Bool = false, _ summary: String
    ) {
        self.key = key
        self.environment = environment
        self.defaultText = defaultText
        self.isSecret = secret
        self.holdsCredentials = credentials
        self.summary = summary
    }

    var flag: String { "--" + key }

    var help: ArgumentHelp {
        ArgumentHelp("\(summary) [env \(environment)\(defaultText.map { "; default \($0)" } ?? "")]")
    }
}

extension Setting {
    static let logFormat = Setting(
        "log-format", environment: "KUANDO_LOG_FORMAT", default: "text",
        "Log lines as text, or json (one object per line: time, level, label, message, metadata).")
    static let logLevel = Setting(
        "log-level", environment: "KUANDO_LOG_LEVEL", default: "info",
        "Least severe log level written: trace, debug, info, notice, warning, error, critical.")
}
