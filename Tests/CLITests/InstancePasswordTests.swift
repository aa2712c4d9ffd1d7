import Foundation
import Testing

/// The instance password on screen: printed when it is made, never again on a start, and shown
/// on request by `kuando show-password`; a given one must be long enough.
@Suite struct InstancePasswordTests {
    @Test func aGeneratedPasswordIsPrintedOnceAndShownOnRequest() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-pw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["KUANDO_LISTEN": "127.0.0.1", "KUANDO_DB": "sqlite:\(folder.path)/data/connector.sqlite", "KUANDO_DOMAIN": "example.com"]

        let first = try RunningKuando(["serve", "--port", "0"], environment: environment)
        let line = try await first.waitFor("the password line") { $0.contains("Password (both)") }
        #expect(try await first.stop() == 0)
        let password = try #require(line.split(separator: " ").first { $0.count == 16 }.map(String.init), "\(line)")
        #expect(line.contains("generated now"))

        let second = try RunningKuando(["serve", "--port", "0"], environment: environment)
        let again = try await second.waitFor("the password line") { $0.contains("Password (both)") }
        #expect(try await second.stop() == 0)
        #expect(!again.contains(password) && !second.stdout.contains(password), "\(again)")
        #expect(again.contains("kuando show-password"))

        let shown = try KuandoProcess.run(["show-password"], environment: environment)
        #expect(shown.status == 0 && shown.stdout == password + "\n", "\(shown)")
        let otherDomain = try KuandoProcess.run(["show-password", "--domain", "other.example.com"], environment: environment)
        #expect(otherDomain.status == 1 && otherDomain.stderr.contains("no instance password is stored for domain other.example.com"))

        // The database holds the password: only the service's user may read it.
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("data/connector.sqlite").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("data").path)
        #expect((directory[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func aShortPasswordIsRefusedWithoutEchoingIt() throws {
        let result = try KuandoProcess.run(["serve", "--check-config"], environment: ["KUANDO_PASSWORD": "short-9c2e"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("KUANDO_PASSWORD (environment): too short: use at least 16 characters"), "\(result.stderr)")
        #expect(!result.stderr.contains("short-9c2e"))
    }
}
