/// A setting that cannot be used, in words that name the setting, where its value came from
/// and what is wrong: `KUANDO_PORT=abc (environment): not a port number 0–65535`.
/// A secret's value is never shown.
struct SettingsError: Error, Equatable, CustomStringConvertible {
    let description: String

    init(_ setting: Setting, _ source: SettingSource, value: String, _ problem: String) {
        let name: String
        switch source {
        case .flag: name = setting.flag
        case .environment: name = setting.environment
        case .file: name = setting.key
        case .defaultValue: name = setting.key
        }
        let shown: String
        if setting.isSecret || setting.holdsCredentials {
            shown = name
        } else if case .flag = source {
            shown = "\(name) \(value)"
        } else {
            shown = "\(name)=\(value)"
        }
        description = "\(shown) (\(source)): \(problem)"
    }

    /// A command-line argument that names no setting.
    init(unknown argument: String, _ problem: String) {
        description = "\(argument): \(problem)"
    }

    /// A problem with the config file as a whole.
    init(file path: String, _ problem: String) {
        description = "config file \(path): \(problem)"
    }
}
