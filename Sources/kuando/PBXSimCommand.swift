import AppWebsocket
import ArgumentParser
import Foundation
import PBXSimulator

/// `kuando pbx-sim --service URL --password P --scenario FILE`: a simulated innovaphone PBX
/// that logs in to the service (flow B), runs a scenario and prints every frame.
struct PBXSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbx-sim",
        abstract: "Run a simulated innovaphone PBX against an App Service and print what the service asked and answered.",
        discussion: """
            Connects to the service's websocket as a PBX App object does (AppChallenge, AppLogin with the
            instance password, PbxInfo, AppInfo), answers RCC, PbxApi, PbxImpersonation and PbxTableUsers,
            and plays the scenario's steps. Each frame is printed as one line:
              pbx -> service {...}     service -> pbx {...}
            Exits 0 after the last step (and --linger), 1 when the login was refused.
            The scenario format is described in docs/pbx-sim-scenario.md.
            """
    )

    @Option(help: "The service's websocket URL, e.g. ws://127.0.0.1:8080/kuando-connector/.")
    var service: String

    @Option(help: "The instance password the App objects carry.")
    var password: String

    @Option(help: "The scenario file (JSON).")
    var scenario: String

    @Option(help: "Seconds to keep the connection after the last step, to see the service's reactions.")
    var linger: Double = 1

    @Option(help: "Seconds to wait for the login and the AppInfo answer.")
    var timeout: Double = 10

    func run() async throws {
        let script = try Scenario.load(contentsOf: URL(fileURLWithPath: scenario))
        let simulator = PBXSimulator(
            configuration: script.configuration(serviceURL: service, password: password), users: script.users,
            onFrame: { observed in
                let arrow = observed.direction == .toService ? "pbx -> service" : "service -> pbx"
                print("\(arrow) \(observed.frame.text)")
            }
        )
        await simulator.start()
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        try await simulator.waitUntil(timeout: limit) { $0.loginResult != nil || (!$0.connected && $0.lastError != nil) }
        let state = await simulator.state
        guard let login = state.loginResult, login.ok else {
            if let refusal = state.loginResult {
                print("login refused by the service (AppLoginResult without ok)\(refusal.errorText.map { ": \($0)" } ?? ""); check --password against the instance password")
            } else {
                print("no login: \(state.lastError ?? "the service did not answer AppLogin")")
            }
            await simulator.disconnect()
            throw ExitCode.failure
        }
        print("logged in to \(service) as App object \(await simulator.mainAppObject.sip)")
        try await simulator.waitUntil(timeout: limit) { $0.appInfoResult != nil }
        try await script.run(on: simulator)
        try await ContinuousClock().sleep(for: .milliseconds(Int64(linger * 1000)))
        await simulator.disconnect()
    }
}
