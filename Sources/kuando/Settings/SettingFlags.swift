/// Reads settings from the command line, by their declarations: `--key VALUE`, `--key=VALUE`,
/// a repeatable setting's flag given again, `--key` / `--no-key` for yes/no settings. What is
/// given is returned by key, for ``SettingsResolver``.
enum SettingFlags {
    static func parse(_ arguments: [String], known: [Setting]) throws(SettingsError) -> [String: [String]] {
        var given: [String: [String]] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                throw SettingsError(unknown: argument, "is not a setting; settings are given as --name value")
            }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if let setting = known.first(where: { $0.kind == .flag && "no-" + $0.key == name }), inline == nil {
                given[setting.key, default: []] = ["false"]
                continue
            }
            guard let setting = known.first(where: { $0.key == name }) else {
                throw SettingsError(unknown: "--" + name, "is no setting of this command; --help lists them")
            }
            let value: String
            if let inline {
                value = inline
            } else if setting.kind == .flag {
                value = "true"
            } else {
                guard index < arguments.endIndex else { throw SettingsError(unknown: "--" + name, "needs a value") }
                value = arguments[index]
                index += 1
            }
            if setting.kind == .list {
                given[setting.key, default: []].append(value)
            } else {
                given[setting.key] = [value]
            }
        }
        return given
    }

    /// The settings as `--help` lists them.
    static func help(_ settings: [Setting]) -> String {
        "Settings:\n" + settings.map(\.helpLine).joined(separator: "\n")
    }
}
