/// One setting of `kuando serve` or `kuando hub`, and the names it goes by: the flag `--KEY`,
/// the environment variable, and `KEY` in the config file.
///
/// Where a value comes from, first match wins: the flag, the environment variable, the config
/// file, the default. This is the untyped part every setting shares (for errors, help and
/// `--check-config`); ``SettingOption`` adds the type, the parser and the default.
struct Setting: Sendable {
    enum Kind: Sendable {
        /// One value, `--key VALUE`.
        case single
        /// Any number of values: repeated flags, a JSON list, a comma-separated variable.
        case list
        /// Yes or no, `--key` / `--no-key`.
        case flag
    }

    /// The config file key; the flag is `--` + key.
    let key: String
    let environment: String
    let kind: Kind
    /// The default as shown in help, nil when the setting has none.
    let defaultText: String?
    /// A password or token: never printed, not even in errors.
    let isSecret: Bool
    /// A value that may hold a password (a database URL): errors do not echo it; its parser
    /// shows it without the password.
    let holdsCredentials: Bool
    let summary: String

    var flag: String { "--" + key }

    /// The line `--help` shows: `--key VALUE  summary [env VARIABLE; default D]`.
    var helpLine: String {
        let usage = switch kind {
        case .single: "\(flag) VALUE"
        case .list: "\(flag) VALUE …"
        case .flag: "\(flag) | --no-\(key)"
        }
        return "  \(usage)\n      \(summary) [env \(environment)\(defaultText.map { "; default \($0)" } ?? "")]"
    }
}

/// A setting with its type: the declaration that is all there is to a setting — its names, its
/// default, how its text is read, what `--help` says — read by ``SettingsResolver``.
///
/// ```swift
/// static let port = SettingOption("port", environment: "KUANDO_PORT", default: 8080, parse: SettingParsers.port, "TCP port to listen on.")
/// let port = try resolver.value(ServeSettings.port)     // 8080, or what the flag, variable or file says
/// ```
struct SettingOption<Value: Sendable>: Sendable {
    let setting: Setting
    let defaultValue: Value?
    /// What `--check-config` shows when the setting is given nowhere and has no default.
    let absent: String
    let parse: @Sendable (String) -> Result<Value, SettingProblem>
    let show: @Sendable (Value) -> String

    /// A single-valued setting; without `default` it is optional (nil when given nowhere).
    init(
        _ key: String, environment: String, default defaultValue: Value? = nil, absent: String = "(not set)", kind: Setting.Kind = .single,
        secret: Bool = false, credentials: Bool = false, shown show: @escaping @Sendable (Value) -> String = { "\($0)" },
        parse: @escaping @Sendable (String) -> Result<Value, SettingProblem>, _ summary: String
    ) {
        self.setting = Setting(
            key: key, environment: environment, kind: kind, defaultText: defaultValue.map(show), isSecret: secret, holdsCredentials: credentials,
            summary: summary)
        self.defaultValue = defaultValue
        self.absent = absent
        self.parse = parse
        self.show = show
    }
}

extension SettingOption where Value == Bool {
    /// A yes/no setting, `--key` / `--no-key` on the command line.
    init(_ key: String, environment: String, default defaultValue: Bool, _ summary: String) {
        self.init(key, environment: environment, default: defaultValue, kind: .flag, parse: SettingParsers.bool, summary)
    }
}
