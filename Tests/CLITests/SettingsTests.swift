import Foundation
import TestSupport
import Testing

/// `kuando serve` and `kuando hub` take each setting from the flag, else the environment, else
/// the config file, else the default; `--check-config` shows what is in effect.
@Suite struct SettingsTests {
    /// The `--check-config` line of `key` (`  key  value  (source)  VARIABLE`): value and source.
    static func effective(_ key: String, in report: String) -> (value: String, source: String)? {
        for line in report.split(separator: "\n") {
            let columns = line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard columns.count == 4, columns[0] == key, columns[2].hasPrefix("("), columns[2].hasSuffix(")") else { continue }
            return (columns[1], String(columns[2].dropFirst().dropLast()))
        }
        return nil
    }

    static func configFile(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-settings-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() async throws {
        let file = try Self.configFile(#"{"port": 7000, "listen": "127.0.0.2", "path": "/from-file"}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await KuandoProcess.run(
            ["serve", "--check-config", "--config", file.path, "--port", "7200"],
            environment: ["KUANDO_PORT": "7100", "KUANDO_LISTEN": "127.0.0.3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.effective("port", in: result.stdout)! == ("7200", "flag"))
        #expect(Self.effective("listen", in: result.stdout)! == ("127.0.0.3", "environment"))
        #expect(Self.effective("path", in: result.stdout)! == ("/from-file", "config file \(file.path)"))
        #expect(Self.effective("db", in: result.stdout)! == ("sqlite:./kuando-data/connector.sqlite", "default"))
    }

    @Test func theConfigFileCanBeNamedByTheEnvironment() async throws {
        let file = try Self.configFile(#"{"allow-hub-network": ["10.0.0.0/8", "fd00::/8"], "direct-local-hubs": true}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await KuandoProcess.run(["serve", "--check-config"], environment: ["KUANDO_CONFIG": file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.effective("config", in: result.stdout)! == (file.path, "environment"))
        #expect(Self.effective("allow-hub-network", in: result.stdout)! == ("10.0.0.0/8,fd00::/8", "config file \(file.path)"))
        #expect(Self.effective("direct-local-hubs", in: result.stdout)! == ("true", "config file \(file.path)"))
    }

    @Test func aBadValueExits64NamingTheSettingAndWhereItCameFrom() async throws {
        let fromEnvironment = try await KuandoProcess.run(["serve", "--check-config"], environment: ["KUANDO_PORT": "abc"])
        #expect(fromEnvironment.status == 64)
        #expect(fromEnvironment.stderr.contains("KUANDO_PORT=abc (environment): not a port number 0–65535"), "\(fromEnvironment.stderr)")

        let fromFlag = try await KuandoProcess.run(["serve", "--allow-hub-network", "10.0.0.0/33"])
        #expect(fromFlag.status == 64)
        #expect(fromFlag.stderr.contains("--allow-hub-network 10.0.0.0/33 (flag): not a network"), "\(fromFlag.stderr)")

        let file = try Self.configFile(#"{"lamp": "disco"}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try await KuandoProcess.run(["hub", "--config", file.path])
        #expect(fromFile.status == 64)
        #expect(fromFile.stderr.contains("lamp=disco (config file \(file.path)): not one of hid, simulated, none"), "\(fromFile.stderr)")
    }

    @Test func anUnknownKeyOrBrokenFileIsRefusedWithTheKnownSettings() async throws {
        let typo = try Self.configFile(#"{"prot": 8080}"#)
        defer { try? FileManager.default.removeItem(at: typo) }
        let unknown = try await KuandoProcess.run(["serve", "--check-config", "--config", typo.path])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains(#"config file \#(typo.path): unknown setting "prot"; the settings are port, listen"#), "\(unknown.stderr)")

        let broken = try Self.configFile("port: 8080")
        defer { try? FileManager.default.removeItem(at: broken) }
        let notJSON = try await KuandoProcess.run(["hub", "--check-config", "--config", broken.path])
        #expect(notJSON.status == 64)
        #expect(notJSON.stderr.contains("config file \(broken.path): is not a JSON object of settings"), "\(notJSON.stderr)")

        let missing = try await KuandoProcess.run(["hub", "--check-config"], environment: ["KUANDO_HUB_CONFIG": "/nonexistent/kuando.json"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("config file /nonexistent/kuando.json: cannot be read"), "\(missing.stderr)")
    }

    @Test func secretsAreNeverPrinted() async throws {
        let file = try Self.configFile(#"{"token": "file-token-5f2c"}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let hub = try await KuandoProcess.run(["hub", "--check-config", "--config", file.path])
        #expect(hub.status == 0)
        #expect(Self.effective("token", in: hub.stdout)! == ("********", "config file \(file.path)"))
        #expect(!hub.stdout.contains("file-token-5f2c"))

        let serve = try await KuandoProcess.run(
            ["serve", "--check-config", "--db", "postgres://kuando:db-secret-9a1e@127.0.0.1:5432/kuando"],
            environment: ["KUANDO_PASSWORD": "instance-secret-77d0"])
        #expect(serve.status == 0)
        #expect(Self.effective("password", in: serve.stdout)! == ("********", "environment"))
        #expect(Self.effective("db", in: serve.stdout)! == ("postgres://kuando@127.0.0.1:5432/kuando", "flag"))
        #expect(!serve.stdout.contains("instance-secret-77d0") && !serve.stdout.contains("db-secret-9a1e"))

        let badToken = try await KuandoProcess.run(["hub", "--check-config"], environment: ["KUANDO_HUB_TOKEN": "with space-3b9d"])
        #expect(badToken.status == 64)
        #expect(badToken.stderr.contains("KUANDO_HUB_TOKEN (environment): must be non-empty and hold no spaces"), "\(badToken.stderr)")
        #expect(!badToken.stderr.contains("3b9d"))

        let badDatabase = try await KuandoProcess.run(["serve", "--check-config"], environment: ["KUANDO_DB": "mysql://root:db-secret-41aa@host/db"])
        #expect(badDatabase.status == 64)
        #expect(badDatabase.stderr.contains("KUANDO_DB (environment): config database"), "\(badDatabase.stderr)")
        #expect(!badDatabase.stderr.contains("db-secret-41aa"))
    }

    @Test func helpListsEverySettingWithItsEnvironmentVariable() async throws {
        let serve = try await KuandoProcess.run("serve", "--help")
        let flat = serve.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for variable in [
            "KUANDO_CONFIG", "KUANDO_PORT", "KUANDO_LISTEN", "KUANDO_PATH", "KUANDO_DOMAIN", "KUANDO_PASSWORD", "KUANDO_DB",
            "KUANDO_ALLOW_HUB_NETWORK", "KUANDO_DIRECT_LOCAL_HUBS", "KUANDO_TLS_CERT", "KUANDO_TLS_KEY", "KUANDO_LOG_FORMAT", "KUANDO_LOG_LEVEL",
        ] {
            #expect(flat.contains("env \(variable)"), "serve --help lacks \(variable)")
        }
        #expect(flat.contains("[env KUANDO_PORT; default 8080]"))
        let hub = try await KuandoProcess.run("hub", "--help")
        let hubFlat = hub.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for variable in ["KUANDO_HUB_CONFIG", "KUANDO_HUB_PORT", "KUANDO_HUB_LISTEN", "KUANDO_HUB_TOKEN", "KUANDO_HUB_LAMP", "KUANDO_HUB_REGISTRY", "KUANDO_LOG_FORMAT"] {
            #expect(hubFlat.contains("env \(variable)"), "hub --help lacks \(variable)")
        }
    }

    @Test func tlsNeedsBothTheCertificateAndTheKey() async throws {
        let result = try await KuandoProcess.run(["serve", "--check-config"], environment: ["KUANDO_TLS_CERT": "/nonexistent/cert.pem"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("KUANDO_TLS_CERT=/nonexistent/cert.pem (environment): cannot be read as a PEM certificate"), "\(result.stderr)")
    }

    @Test func theServiceUsesTheSettingsItResolved() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.configFile(#"{"path": "/office"}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let serve = try RunningKuando(
            ["serve", "--port", "0", "--config", file.path],
            environment: ["KUANDO_LISTEN": "127.0.0.1", "KUANDO_DB": "sqlite:\(folder.path)/connector.sqlite", "KUANDO_PASSWORD": "pw-5c1d-of-16-chars"])
        let line = try await serve.waitFor("the hidden app's URL") { $0.contains("Connector for kuando ") && $0.contains("URL ") }
        #expect(line.contains("http://127.0.0.1:") && line.contains("/office/innovaphone-connectorforkuando "), "\(line)")
        #expect(!serve.stdout.contains("pw-5c1d-of-16-chars"))
        #expect(try await serve.stop() == 0)
    }
}
