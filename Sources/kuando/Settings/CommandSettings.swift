import ArgumentParser
import Foundation

/// The settings of a long-running command (`serve`, `hub`): declared once each
/// (``SettingOption``), resolved the same way, and started the same way by
/// ``start(_:arguments:checkConfig:)``.
protocol CommandSettings {
    /// The setting naming the config file.
    static var config: SettingOption<String> { get }
    /// Every setting, in the order `--help` and `--check-config` show them.
    static var all: [Setting] { get }
    /// Reads every setting; a bad value throws the error that names it.
    init(resolver: inout SettingsResolver) throws(SettingsError)
    var log: LogSettings { get }
}

extension CommandSettings {
    /// `--help`'s list of the settings.
    static var help: String { SettingFlags.help(all) }

    /// Resolves the settings from the command line and `environment`; returns them and the
    /// `--check-config` report.
    static func resolve(arguments: [String], environment: [String: String]) throws(SettingsError) -> (Self, report: String) {
        let flags = try SettingFlags.parse(arguments, known: all)
        var resolver = try SettingsResolver(flags: flags, environment: environment, config: config.setting, known: all)
        let settings = try Self(resolver: &resolver)
        return (settings, resolver.report)
    }

    /// Resolves the settings of `kuando <command>`. A bad value prints the error and exits 64;
    /// with `--check-config` the settings are printed and nil is returned (the command then stops
    /// with 0). Otherwise logging is set up as they say.
    static func start(_ command: String, arguments: [String], checkConfig: Bool) throws -> Self? {
        let resolved: (settings: Self, report: String)
        do {
            resolved = try resolve(arguments: arguments, environment: ProcessInfo.processInfo.environment)
        } catch {
            printError("kuando \(command): \(error)")
            throw ExitCode(64)
        }
        if checkConfig {
            print("kuando \(command): the settings are valid; in effect:\n\(resolved.report)")
            return nil
        }
        resolved.settings.log.bootstrap()
        return resolved.settings
    }
}
