import Foundation
import TestSupport
import Testing

/// The README's production section: every `kuando` command in its code blocks runs as written
/// (long-running `serve`/`hub` lines with `--check-config` added, so their settings are checked
/// without starting), and the systemd units pass `systemd-analyze verify`.
@Suite(.serialized) struct ReadmeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// How the README loads an env file into a command, and the packaging file installed there.
    static let envFiles: [(prefix: String, file: String)] = [
        ("env $(grep -v '^#' /etc/kuando/connector.env | xargs) ", "packaging/systemd/connector.env"),
        ("env $(grep -v '^#' /etc/kuando/hub.env | xargs) ", "packaging/systemd/hub.env"),
    ]

    /// One `kuando` command line from the README.
    struct Command: CustomStringConvertible {
        var line: String
        var arguments: [String]
        var environment: [String: String]
        var description: String { line }
    }

    /// The `## Production on Linux` section, up to the next second-level heading.
    static func productionSection() throws -> String {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "\n## Production on Linux\n"), "README has no production section")
        let rest = readme[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The lines of the section's ```sh blocks that run `kuando`.
    static func kuandoCommands() throws -> [Command] {
        var commands: [Command] = []
        var inBlock = false
        for raw in try productionSection().split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            var line = String(raw)
            if let comment = line.range(of: "  #") { line = String(line[..<comment.lowerBound]) }
            line = line.trimmingCharacters(in: .whitespaces)
            var environment: [String: String] = [:]
            if let loaded = envFiles.first(where: { line.hasPrefix($0.prefix) }) {
                environment = try envFile(loaded.file)
                line.removeFirst(loaded.prefix.count)
            }
            guard line.hasPrefix("kuando ") || line.hasPrefix("/usr/local/bin/kuando ") else { continue }
            let words = line.split(separator: " ").dropFirst().map(String.init)
            commands.append(Command(line: String(raw), arguments: words, environment: environment))
        }
        return commands
    }

    /// A packaging env file (`packaging/systemd/connector.env`, `hub.env`) as the README loads it:
    /// KEY=VALUE lines, comments skipped.
    static func envFile(_ path: String) throws -> [String: String] {
        let text = try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    @Test func theProductionSectionHasCommandsToRun() throws {
        let commands = try Self.kuandoCommands()
        #expect(commands.contains { $0.arguments.starts(with: ["serve", "--check-config"]) }, "\(commands)")
        #expect(commands.contains { $0.arguments.starts(with: ["hub", "--check-config"]) }, "\(commands)")
        #expect(commands.contains { $0.arguments.first == "check-hub" }, "\(commands)")
    }

    @Test func theHubsEnvFileHoldsOnlyHubAndLogSettings() throws {
        let names = try Self.envFile("packaging/systemd/hub.env").keys
        #expect(names.contains("KUANDO_HUB_PORT"), "\(names)")
        for name in names {
            #expect(name.hasPrefix("KUANDO_HUB_") || name == "KUANDO_LOG_FORMAT" || name == "KUANDO_LOG_LEVEL", "\(name) belongs in connector.env")
        }
    }

    @Test func everyKuandoCommandInTheProductionSectionRuns() async throws {
        let hub = try RunningKuando(["hub", "--port", "0", "--lamp", "simulated"])
        let banner = try await hub.waitFor("the hub's banner") { $0.hasPrefix("kuando hub: listening on ") }
        let hubURL = try #require(banner.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        let commands: [Command]
        do {
            commands = try Self.kuandoCommands()
        } catch {
            _ = try await hub.stop()
            throw error
        }
        for command in commands {
            var arguments = command.arguments
            switch arguments.first {
            case "serve", "hub":
                if !arguments.contains("--help"), !arguments.contains("--check-config") { arguments.append("--check-config") }
            case "check-hub":
                // The README's hub runs on port 8989; the test's own hub answers instead.
                arguments = arguments.map { $0.hasPrefix("http://127.0.0.1:8989/") ? hubURL : $0 }
            default:
                break
            }
            guard let result = try? await KuandoProcess.run(arguments, environment: command.environment) else {
                Issue.record("could not run \(command.line)")
                continue
            }
            #expect(result.status == 0, "README command failed: \(command.line)\nstdout: \(result.stdout)\nstderr: \(result.stderr)")
            if arguments.contains("--check-config") { #expect(result.stdout.contains("the settings are valid"), "\(command.line)") }
        }
        #expect(try await hub.stop() == 0)
    }

    @Test func theSystemdUnitsVerify() async throws {
        guard let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("ReadmeTests: systemd-analyze is not installed here; the systemd units were NOT verified")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var units: [String] = []
        for name in ["kuando-connector.service", "kuando-hub.service"] {
            // verify checks that ExecStart's binary exists: point it at the built one.
            let text = try String(contentsOf: Self.repository.appendingPathComponent("packaging/systemd/\(name)"), encoding: .utf8)
            #expect(text.contains("ExecStart=/usr/local/bin/kuando "), "\(name) runs /usr/local/bin/kuando")
            let unit = folder.appendingPathComponent(name)
            try Data(text.replacingOccurrences(of: "/usr/local/bin/kuando", with: KuandoProcess.executable.path).utf8).write(to: unit)
            units.append(unit.path)
        }
        let verify = try await KuandoProcess.run(["verify"] + units, executable: URL(fileURLWithPath: analyze))
        let text = verify.stdout + verify.stderr
        // verify exits 0 on unknown keys and only warns, so any output counts as a failure.
        #expect(verify.status == 0 && text.isEmpty, "systemd-analyze verify: \(text)")
    }
}
