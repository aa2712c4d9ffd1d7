import ArgumentParser
import KuandoHub
import KuandoSync
import Logging

/// `kuando check-hub URL`: the config app's connection test, from a shell.
struct CheckHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-hub",
        abstract: "Check a kuandoHUB: reachable, token accepted, lamps found, current state.",
        discussion: """
            Changes nothing on the hub. Exits 0 only when the hub answers, accepts the token and \
            has a Busylight connected; every problem line says what to do.
            Example: kuando check-hub http://10.0.0.5:8989/ --token S3cret
            """
    )

    @Argument(help: "The hub's URL, e.g. http://localhost:8989/.")
    var url: String

    @Option(help: "The hub's access token (needed for hubs on other machines).")
    var token: String?

    func validate() throws {
        if let problem = HubURL.problem(url) { throw ValidationError("URL \(problem)") }
    }

    func run() async throws {
        let transport = HTTPHubTransport()
        let client = HubClient(
            configuration: .init(baseURL: url, token: token), transport: transport,
            logger: Logger(label: "kuando.check-hub") { _ in SwiftLogNoOpLogHandler() })
        let healthy = await Self.check(client, tokenGiven: token != nil)
        try await transport.shutdown()
        if !healthy { throw ExitCode.failure }
    }

    /// Runs the checks, printing one line each; true when the hub works.
    static func check(_ client: HubClient, tokenGiven: Bool) async -> Bool {
        let url = client.displayURL
        do {
            try await client.probe()
            print("✓ hub answers at \(url)\(tokenGiven ? " with the token given" : "")")
        } catch HubError.unauthorized {
            print(tokenGiven
                ? "✗ hub at \(url) refuses the token: copy it again from the hub's advanced settings (http_token)"
                : "✗ hub at \(url) wants an access token: pass --token with the one from the hub's advanced settings")
            return false
        } catch {
            print("✗ \(error)")
            return false
        }
        var healthy = true
        do {
            let devices = try await client.devices()
            if devices.isEmpty {
                print("✗ no Busylight is connected to the hub: plug one into the PC that runs it")
                healthy = false
            } else {
                let names = devices.map { "\($0.modelName ?? "Busylight") (\($0.path))" }.joined(separator: ", ")
                print("✓ \(devices.count) lamp\(devices.count == 1 ? "" : "s"): \(names)")
            }
        } catch {
            print("✗ \(error)")
            healthy = false
        }
        do {
            let running = try await client.runningCommand()
            if running.winner.isNone {
                print("✓ current state: nothing runs (the lamp is dark)")
            } else {
                let color = running.color.map { " colour \($0.red),\($0.green),\($0.blue)" } ?? ""
                print("✓ current state: \(running.winner.traceText) (\(running.action ?? "?")\(color))")
            }
        } catch {
            print("✗ \(error)")
            healthy = false
        }
        return healthy
    }
}
