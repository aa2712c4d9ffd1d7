import ArgumentParser

/// The command line of a command with ``CommandSettings`` (`serve`, `hub`): `--check-config`,
/// and every other argument left to ``SettingsResolver``, which reads flags, environment and
/// config file alike.
struct SettingsArguments: ParsableArguments {
    @Flag(help: "Check the settings, print the ones in effect (secrets masked) and where each came from, and exit.")
    var checkConfig = false
    @Argument(parsing: .allUnrecognized, help: .hidden) var settings: [String] = []

    /// The settings of `kuando <command>` from these arguments; nil when the command is to stop
    /// (see ``CommandSettings/start(_:arguments:checkConfig:)``).
    func start<Settings: CommandSettings>(_ type: Settings.Type, command: String) throws -> Settings? {
        try Settings.start(command, arguments: settings, checkConfig: checkConfig)
    }
}
