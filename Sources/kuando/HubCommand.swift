import ArgumentParser
import Busylight
import Foundation
import KuandoHub

/// `kuando hub`: the open hub, a kuandoHUB-compatible HTTP server with platform priorities that
/// drives Busylights directly, for machines where Plenom's hub does not run.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run the open hub: kuandoHUB's HTTP API on this machine, driving Busylights.",
        discussion: """
            Speaks kuandoHUB's GET and POST API on /, with data sources and platform priorities; \
            /status shows each lamp and who wins. Requests from other machines need --token \
            (http_token header or accesstoken=); without one they are refused.
            Examples:
              kuando hub --lamp none
              curl 'http://127.0.0.1:8989/?action=light&red=100'
              kuando hub --listen 0.0.0.0 --token S3cret --config ~/.kuando-hub.json
            """
    )

    @Option(help: "TCP port to listen on.")
    var port = 8989

    @Option(help: "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for remote use.")
    var listen = "127.0.0.1"

    @Option(help: "Access token that requests from other machines must present.")
    var token: String?

    @Option(help: "Lamps to drive: hid (USB Busylights), simulated, or none.")
    var lamp: LampKind = .hid

    @Option(help: "JSON file keeping data sources and priorities across restarts (written atomically).")
    var config: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535, got \(port)") }
        if let token, token.isEmpty || token.contains(where: \.isWhitespace) {
            throw ValidationError("--token must be non-empty and hold no spaces")
        }
    }

    func run() async throws {
        let hub = try OpenHub(inventory: makeLampInventory(lamp), registryFile: config.map(HubRegistryFile.init))
        if token == nil, !["127.0.0.1", "::1", "localhost"].contains(listen) {
            printError("kuando hub: no --token given, so requests from other machines are refused with 401")
        }
        let host = listen
        let app = OpenHubServer.buildApplication(
            hub: hub, configuration: .init(host: listen, port: port, access: OpenHubAccess(token: token))
        ) { port in
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/"
            // Written straight to the file handle so a service manager sees it at once, unbuffered.
            FileHandle.standardOutput.write(Data("kuando hub: listening on \(base) (status page: \(base)status)\n".utf8))
        }
        try await app.runService()
    }
}

/// Which lamps the open hub drives.
enum LampKind: String, CaseIterable, ExpressibleByArgument {
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
