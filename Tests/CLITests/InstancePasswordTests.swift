import Foundation
import TestSupport
import Testing

/// The instance password on screen: printed when it is made, never again on a start, and shown
/// on request by `kuando instance show-password`; a given one must be long enough. `kuando
/// instance` adds, lists and removes instances in the same database.
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
        #expect(again.contains("kuando instance show-password example.com"))

        let shown = try await KuandoProcess.run(["instance", "show-password"], environment: environment)
        #expect(shown.status == 0 && shown.stdout == password + "\n", "\(shown)")
        let otherDomain = try await KuandoProcess.run(["instance", "show-password", "other.example.com"], environment: environment)
        #expect(otherDomain.status == 1 && otherDomain.stderr.contains("no instance password is stored for domain other.example.com"), "\(otherDomain)")

        // The database holds the password: only the service's user may read it.
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("data/connector.sqlite").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("data").path)
        #expect((directory[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func instancesAreAddedListedAndRemoved() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-instances-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["KUANDO_DB": "sqlite:\(folder.path)/connector.sqlite"]
        let added = try await KuandoProcess.run(["instance", "add", "b.example"], environment: environment)
        #expect(added.status == 0 && added.stdout.contains("/b.example/kuando/innovaphone-connectorforkuando"), "\(added)")
        let password = try #require(added.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.count == 16 }.map(String.init), "\(added)")
        let shown = try await KuandoProcess.run(["instance", "show-password", "b.example"], environment: environment)
        #expect(shown.stdout == password + "\n")
        let twice = try await KuandoProcess.run(["instance", "add", "b.example"], environment: environment)
        #expect(twice.status == 1 && twice.stderr.contains("exists already"), "\(twice)")
        let changed = try await KuandoProcess.run(["instance", "add", "b.example", "--password", "changed-password-5678"], environment: environment)
        #expect(changed.status == 0 && changed.stdout.contains("password changed") && !changed.stdout.contains("changed-password-5678"), "\(changed)")
        #expect(try await KuandoProcess.run(["instance", "add", "c.example", "--password", "short"], environment: environment).status == 64)
        _ = try await KuandoProcess.run(["instance", "add", "a.example"], environment: environment)
        let listed = try await KuandoProcess.run(["instance", "list"], environment: environment)
        #expect(listed.status == 0 && listed.stdout.contains("a.example") && listed.stdout.contains("b.example"), "\(listed)")
        #expect(!listed.stdout.contains(password) && !listed.stdout.contains("changed-password-5678"), "the list shows no password")
        let removed = try await KuandoProcess.run(["instance", "remove", "b.example"], environment: environment)
        #expect(removed.status == 0 && removed.stdout.contains("instance b.example removed"), "\(removed)")
        #expect(!(try await KuandoProcess.run(["instance", "list"], environment: environment).stdout.contains("b.example")))
        let again = try await KuandoProcess.run(["instance", "remove", "b.example"], environment: environment)
        #expect(again.status == 1 && again.stderr.contains("there is no instance b.example"))
        let noDomain = try await KuandoProcess.run(["instance", "remove"], environment: environment)
        #expect(noDomain.status == 64 && noDomain.stderr.contains("name the domain"))
    }

    @Test func aShortPasswordIsRefusedWithoutEchoingIt() async throws {
        let result = try await KuandoProcess.run(["serve", "--check-config"], environment: ["KUANDO_PASSWORD": "short-9c2e"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("KUANDO_PASSWORD (environment): too short: use at least 16 characters"), "\(result.stderr)")
        #expect(!result.stderr.contains("short-9c2e"))
    }
}
