import ArgumentParser
import Busylight
import Foundation
import KuandoHub
import ServiceLifecycle
import Logging
import ConnectorService

/// `kuando hub`: the open hub, a kuandoHUB-compatible HTTP server with platform priorities that
/// drives Busylights directly, for machines where Plenom's hub does not run.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run the open hub: kuandoHUB's HTTP API on this machine, driving Busylights.",
        discussion: """
            Speaks kuandoHUB's GET and POST API on /, with data sources and platform priorities; \
            /status shows each lamp and who wins. Requests from other machines need --token \
            (http_token header or accesstoken=); without one they are refused. Web pages may call \
            the hub only from the origins given with --allow-origin (the Connector's apps).
            Each setting is taken from its flag, else its environment variable, else the config file \
            (--config), else its default. --check-config prints the settings in effect and exits.
            Examples:
              kuando hub --lamp none
              curl 'http://127.0.0.1:8989/?action=light&red=100'
              kuando hub --allow-origin https://apps.example.com:8080
              kuando hub --listen 0.0.0.0 --token S3cret --registry ~/.kuando-hub-registry.json

            \(HubSettings.help)
            """
    )

    @OptionGroup var arguments: SettingsArguments

    func run() async throws {
        guard let settings = try arguments.start(HubSettings.self, command: "hub") else { return }
        let hub = try OpenHub(inventory: makeLampInventory(settings.lamp), registryFile: settings.registry.map(HubRegistryFile.init))
        if settings.token == nil, !["127.0.0.1", "::1", "localhost"].contains(settings.listen) {
            printError("kuando hub: no token set (--token or KUANDO_HUB_TOKEN), so requests from other machines are refused with 401")
        }
        let host = settings.listen
        let app = OpenHubServer.buildApplication(hub: hub, configuration: settings.configuration) { port in
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/"
            // Written straight to the file handle so a service manager sees it at once, unbuffered.
            FileHandle.standardOutput.write(Data("kuando hub: listening on \(base) (status page: \(base)status)\n".utf8))
        }
        try await ServiceGroup.kuando(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "kuando.hub")).run()
    }
}

/// Which lamps the open hub drives.
enum LampKind: String, CaseIterable, Sendable {
    case hid
    case simulated
    case none
}

/// The lamp inventory for `--lamp`. `hid` and `simulated` come from the Busylight driver.
func makeLampInventory(_ kind: LampKind) -> any LampInventory {
    switch kind {
    case .none:
        return NoLamps()
    case .hid:
        return HidrawLampInventory()
    case .simulated:
        return SimulatedLampInventory(lamps: [SimulatedLamp()])
    }
}

/// `--lamp none`: the hub runs without lamps and answers lamp commands with 404, as kuandoHUB does.
private struct NoLamps: LampInventory {
    func lamps() async -> [any Lamp] { [] }
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

private struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
