import ArgumentParser
import ConnectorService
import Foundation
import Logging

/// `kuando show-password`: prints the instance password `kuando serve` generated and stored, for
/// an admin who sets up the App objects later (the service prints it only when it makes it).
struct ShowPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-password",
        abstract: "Print the instance password stored in the config database.",
        discussion: """
            Reads --db (KUANDO_DB) and --domain (KUANDO_DOMAIN) as kuando serve does, and prints the \
            password stored for that domain; exits 1 when none is stored yet (kuando serve makes one \
            on its first start unless --password is given). Run it as the service's user.
            Example:
              sudo -u kuando env $(grep -v '^#' /etc/kuando/connector.env | xargs) kuando show-password
            """
    )

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("--db, --domain and --config, as kuando serve takes them")) var settings: [String] = []

    func run() async throws {
        let location: (db: String, domain: String?)
        do {
            let known = [ServeSettings.config.setting, ServeSettings.db.setting, ServeSettings.domain.setting]
            var resolver = try SettingsResolver(
                flags: try SettingFlags.parse(settings, known: known), environment: ProcessInfo.processInfo.environment,
                config: ServeSettings.config.setting, known: ServeSettings.all)
            location = (try resolver.value(ServeSettings.db), try resolver.optional(ServeSettings.domain))
        } catch {
            printError("kuando show-password: \(error)")
            throw ExitCode(64)
        }
        let store = try await openConfigStore(url: location.db, logger: Logger(label: "kuando.show-password") { _ in SwiftLogNoOpLogHandler() })
        let stored = try await store.whileRunning { try await store.storedInstancePassword(domain: location.domain ?? "") }
        guard let password = stored else {
            printError("kuando show-password: no instance password is stored for \(location.domain.map { "domain \($0)" } ?? "this service") in \(location.db); kuando serve stores one on its first start")
            throw ExitCode(1)
        }
        print(password)
    }
}
