import Foundation

/// Finds each setting's value in order: flag, environment, config file, default; parses and
/// checks it, and remembers what it found for `--check-config`.
///
/// ```swift
/// var resolver = try SettingsResolver(flags: ["port": ["9090"]], environment: env, config: ServeSettings.config.setting, known: ServeSettings.all)
/// let port = try resolver.value(ServeSettings.port)
/// ```
struct SettingsResolver {
    /// One line of the effective settings.
    struct Line: Sendable {
        let setting: Setting
        /// The value as shown: masked for secrets.
        let shown: String
        let source: SettingSource
    }

    private let flags: [String: [String]]
    private let environment: [String: String]
    private let file: ConfigFile?
    private(set) var lines: [Line] = []

    /// - Parameters:
    ///   - flags: the values given on the command line, by setting key (absent: not given).
    ///   - config: the setting naming the config file (by flag or environment only); the file
    ///     is read and checked now, and may hold any of `known` but itself.
    init(flags: [String: [String]], environment: [String: String], config: Setting, known: [Setting]) throws(SettingsError) {
        self.flags = flags
        self.environment = environment
        let named: (path: String, source: SettingSource)?
        if let path = flags[config.key]?.last {
            named = (path, .flag)
        } else if let path = environment[config.environment], !path.isEmpty {
            named = (path, .environment)
        } else {
            named = nil
        }
        file = try named.map { named throws(SettingsError) in try ConfigFile(path: named.path, known: known.filter { $0.key != config.key }) }
        record(config, shown: named?.path ?? "(none)", source: named?.source ?? .defaultValue)
    }

    /// The raw texts of `setting` and where they came from; nil when nowhere.
    /// Lists come from repeated flags, a JSON list, or a comma-separated variable.
    func raw(_ setting: Setting) -> (texts: [String], source: SettingSource)? {
        if let given = flags[setting.key], !given.isEmpty { return (given, .flag) }
        if let text = environment[setting.environment] {
            return (text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }, .environment)
        }
        if let file, let texts = file.values[setting.key] { return (texts, .file(path: file.path)) }
        return nil
    }

    /// The value of a setting with a default: the default when it is given nowhere.
    mutating func value<Value>(_ option: SettingOption<Value>) throws(SettingsError) -> Value {
        guard let value = try optional(option) else { preconditionFailure("\(option.setting.key) has no default: read it with optional(_:)") }
        return value
    }

    /// The value of a setting, its default when it is given nowhere, nil when it has none.
    mutating func optional<Value>(_ option: SettingOption<Value>) throws(SettingsError) -> Value? {
        let setting = option.setting
        guard let (texts, source) = raw(setting) else {
            record(setting, shown: option.defaultValue.map(option.show) ?? option.absent, source: .defaultValue)
            return option.defaultValue
        }
        let text = texts.joined(separator: ",")
        switch option.parse(text) {
        case .success(let value):
            record(setting, shown: setting.holdsCredentials ? option.show(value) : text, source: source)
            return value
        case .failure(let problem):
            throw SettingsError(setting, source, value: text, problem.reason)
        }
    }

    /// The values of a repeatable setting, empty when it is given nowhere.
    mutating func values<Value>(_ option: SettingOption<Value>) throws(SettingsError) -> [Value] {
        let setting = option.setting
        guard let (texts, source) = raw(setting) else {
            record(setting, shown: "(none)", source: .defaultValue)
            return []
        }
        var values: [Value] = []
        // An empty variable means none, as an absent one does.
        for text in texts where !(source == .environment && texts == [""]) {
            switch option.parse(text) {
            case .success(let value): values.append(value)
            case .failure(let problem): throw SettingsError(setting, source, value: text, problem.reason)
            }
        }
        record(setting, shown: values.isEmpty ? "(none)" : texts.joined(separator: ","), source: source)
        return values
    }

    /// Records a setting whose value the caller worked out itself (e.g. the config file's path).
    mutating func record(_ setting: Setting, shown: String, source: SettingSource) {
        lines.append(Line(setting: setting, shown: setting.isSecret && source != .defaultValue ? "********" : shown, source: source))
    }

    /// The effective settings as `--check-config` prints them, one per line.
    var report: String {
        func column(_ texts: [String]) -> (String) -> String {
            let width = min(texts.map(\.count).max() ?? 0, 48)
            return { $0.count < width ? $0.padding(toLength: width, withPad: " ", startingAt: 0) : $0 }
        }
        let key = column(lines.map(\.setting.key))
        let value = column(lines.map(\.shown))
        let source = column(lines.map { "(\($0.source))" })
        return lines.map { line in
            "  \(key(line.setting.key))  \(value(line.shown))  \(source("(\(line.source))"))  \(line.setting.environment)"
        }.joined(separator: "\n")
    }
}

/// Why a value cannot be used, in words for the admin.
struct SettingProblem: Error, Equatable {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
