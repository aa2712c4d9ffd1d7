import ArgumentParser
import ConnectorService
import Foundation
import Logging

/// `kuando instance add|list|remove|show-password`: the instances (PBX domains) in the config
/// database. A running `kuando serve` on that database picks a change up within
/// ``InstanceKeeper/defaultRefreshInterval``.
struct InstanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance",
        abstract: "Manage the instances (PBX domains) one service serves.",
        discussion: """
            An instance is one PBX domain with its own instance password and its users' settings, kept in the \
            config database (--db, KUANDO_DB, or the --config file, as kuando serve takes them). Its App objects \
            use the URLs <service>/<domain>/kuando/innovaphone-connectorforkuando and …-config. A running \
            service picks changes up within 2 seconds. Run these as the service's user.
            Examples:
              kuando instance add example.com                   # prints the generated password
              kuando instance add example.com --password …      # sets (or changes) it
              kuando instance list --db postgres://kuando:secret@db:5432/kuando
              kuando instance show-password example.com
              kuando instance remove example.com                # its users' settings go too
            """,
        subcommands: [Add.self, List.self, Remove.self, ShowPassword.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an instance, or change its password with --password.")
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("DOMAIN, then --password, --db and --config as kuando serve takes them")) var arguments: [String] = []

        func run() async throws {
            let access = try InstanceAccess("add", arguments, needsDomain: true, takesPassword: true)
            let domain = access.domain
            try await access.withStore { store in
                let existing = try await store.storedInstancePassword(domain: domain)
                if let password = access.password {
                    try await store.setInstancePassword(domain: domain, password: password)
                    print(existing == nil
                        ? "instance \(domain) added with the password given; set it at both App objects"
                        : "instance \(domain): password changed; the service makes its PBX log in again with it")
                } else if existing != nil {
                    printError("kuando instance add: instance \(domain) exists already; kuando instance show-password \(domain) prints its password, --password changes it")
                    throw ExitCode(1)
                } else {
                    let password = try await store.instancePassword(domain: domain)
                    print("instance \(domain) added; its password (set it at both App objects): \(password)")
                }
                print("""
                    App objects on the PBX of \(domain), with <service> the address of kuando serve:
                      Connector for kuando         URL <service>/\(domain)/kuando/\(AppNames.hidden)
                      Connector for kuando config  URL <service>/\(domain)/kuando/\(AppNames.config)
                    """)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the instances and how many user settings each holds.")
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("--db and --config as kuando serve takes them")) var arguments: [String] = []

        func run() async throws {
            let access = try InstanceAccess("list", arguments, needsDomain: false, takesPassword: false)
            try await access.withStore { store in
                let instances = try await store.instances()
                let users = try await store.userCounts()
                guard !instances.isEmpty else {
                    print("no instances: add one with kuando instance add DOMAIN")
                    return
                }
                let width = instances.map { InstanceAccess.name($0.domain).count }.max() ?? 0
                for instance in instances {
                    let name = InstanceAccess.name(instance.domain)
                    print("\(name)\(String(repeating: " ", count: width - name.count))  \(users[instance.domain] ?? 0) user settings")
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an instance and its users' settings.")
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("DOMAIN, then --db and --config as kuando serve takes them")) var arguments: [String] = []

        func run() async throws {
            let access = try InstanceAccess("remove", arguments, needsDomain: true, takesPassword: false)
            let domain = access.domain
            try await access.withStore { store in
                guard try await store.storedInstancePassword(domain: domain) != nil else {
                    printError("kuando instance remove: there is no instance \(domain); kuando instance list shows the instances")
                    throw ExitCode(1)
                }
                let removed = try await store.removeInstance(domain: domain)
                print("instance \(domain) removed with \(removed) user settings; a running service stops serving it within seconds")
            }
        }
    }

    struct ShowPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show-password", abstract: "Print an instance's password (kuando serve prints it only when it makes it).")
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("DOMAIN (else --domain as kuando serve takes it), then --db and --config")) var arguments: [String] = []

        func run() async throws {
            let access = try InstanceAccess("show-password", arguments, needsDomain: false, takesPassword: false)
            let domain = access.domain
            let stored = try await access.withStore { store in try await store.storedInstancePassword(domain: domain) }
            guard let password = stored else {
                printError(
                    "kuando instance show-password: no instance password is stored for \(domain.isEmpty ? "this service" : "domain \(domain)") in \(access.redactedDB); kuando serve stores one on its first start, kuando instance add makes one")
                throw ExitCode(1)
            }
            print(password)
        }
    }
}

/// What an `instance` subcommand was told: the store (`--db`, `--config`, as `kuando serve`), the
/// domain (the first argument, else `--domain`), and for `add` a password.
struct InstanceAccess {
    let db: String
    let domain: String
    let password: String?

    init(_ command: String, _ arguments: [String], needsDomain: Bool, takesPassword: Bool) throws {
        var arguments = arguments
        let positional = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
        if positional != nil { arguments.removeFirst() }
        do {
            var known = [ServeSettings.config.setting, ServeSettings.db.setting, ServeSettings.domain.setting]
            if takesPassword { known.append(ServeSettings.password.setting) }
            var resolver = try SettingsResolver(
                flags: try SettingFlags.parse(arguments, known: known), environment: ProcessInfo.processInfo.environment,
                config: ServeSettings.config.setting, known: ServeSettings.all)
            db = try resolver.value(ServeSettings.db)
            let domain = try positional ?? resolver.optional(ServeSettings.domain)
            password = takesPassword ? try resolver.optional(ServeSettings.password) : nil
            if needsDomain, domain == nil {
                printError("kuando instance \(command): name the domain, e.g. kuando instance \(command) example.com")
                throw ExitCode(64)
            }
            self.domain = domain ?? ""
        } catch let error as SettingsError {
            printError("kuando instance \(command): \(error)")
            throw ExitCode(64)
        }
    }

    var redactedDB: String { (try? ConfigStoreLocation(parsing: db).description) ?? db }

    /// The domain as lists show it.
    static func name(_ domain: String) -> String { domain.isEmpty ? "(no domain)" : domain }

    func withStore<T: Sendable>(_ body: (any ConfigStore) async throws -> T) async throws -> T {
        let store = try await openConfigStore(url: db, logger: Logger(label: "kuando.instance") { _ in SwiftLogNoOpLogHandler() })
        return try await store.whileRunning { try await body(store) }
    }
}
