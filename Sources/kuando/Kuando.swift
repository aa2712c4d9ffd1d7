import ArgumentParser

/// The `kuando` command line: one executable for the service, the open hub, the simulator and tools.
@main
struct Kuando: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kuando",
        abstract: "Kuando Connector: innovaphone calls and presence, kuandoHUB and Busylight in step.",
        subcommands: [
            ServeCommand.self,
            MapCommand.self,
            LampCommand.self,
            PBXSimCommand.self,
            HubCommand.self,
            CheckHubCommand.self,
            DemoCommand.self,
            InstanceCommand.self,
        ]
    )
}
