import ArgumentParser
import Foundation
import Logging

/// The settings of a long-running command (`serve`, `hub`): resolved the same way, and started
/// the same way by ``start(_:flags:checkConfig:)``.
protocol CommandSettings {
    init(flags: [String: [String]], environment: [String: String]) throws(SettingsError)
    var logFormat: LogFormat { get }
    var logLevel: Logger.Level { get }
    /// The effective settings, secrets masked, one per line.
    var report: String { get }
}

extension CommandSettings {
    /// Resolves the settings of `kuando <command>` from `flags` and the environment. A bad value
    /// prints the error and exits 64; with `--check-config` the settings are printed and nil is
    /// returned (the command then stops with 0). Otherwise logging is set up as they say.
    static func start(_ command: String, flags: [String: [String]], checkConfig: Bool) throws -> Self? {
        let settings: Self
        do {
            settings = try Self(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch {
            printError("kuando \(command): \(error)")
            throw ExitCode(64)
        }
        if checkConfig {
            print("kuando \(command): the settings are valid; in effect:\n\(settings.report)")
            return nil
        }
        settings.logFormat.bootstrap(level: settings.logLevel)
        return settings
    }
}
