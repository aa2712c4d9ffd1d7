import ConnectorService
import Logging
import Testing
import TestSupport

@Suite struct ConfigStoreLocationTests {
    @Test func sqliteTakesThePathAfterTheScheme() throws {
        #expect(try ConfigStoreLocation(parsing: "sqlite:./kuando-data/connector.sqlite") == .sqlite(path: "./kuando-data/connector.sqlite"))
        #expect(try ConfigStoreLocation(parsing: "sqlite:/var/lib/kuando/c.sqlite") == .sqlite(path: "/var/lib/kuando/c.sqlite"))
    }

    @Test func postgresURLGivesEveryPart() throws {
        let location = try ConfigStoreLocation(parsing: "postgres://kuando:p%40ss@db.example:6543/connector?sslmode=require")
        #expect(location == .postgres(PostgresLocation(
            host: "db.example", port: 6543, username: "kuando", password: "p@ss", database: "connector", tls: .require)))
    }

    @Test func postgresDefaultsToPort5432AndPreferredTLS() throws {
        #expect(try ConfigStoreLocation(parsing: "postgresql://kuando@127.0.0.1/connector") == .postgres(PostgresLocation(
            host: "127.0.0.1", port: 5432, username: "kuando", password: nil, database: "connector", tls: .prefer)))
    }

    @Test func ipv6HostsLoseTheirBracketsAndKeepThemInTheEndpoint() throws {
        guard case .postgres(let location) = try ConfigStoreLocation(parsing: "postgres://kuando:pw@[::1]:5433/connector") else {
            Issue.record("not a postgres location")
            return
        }
        #expect(location.host == "::1")
        #expect(location.endpoint == "[::1]:5433")
    }

    @Test func descriptionsNeverShowThePassword() throws {
        let location = try ConfigStoreLocation(parsing: "postgres://kuando:hunter2@127.0.0.1:5432/connector")
        #expect(location.description == "postgres://kuando@127.0.0.1:5432/connector")
        let unsupported = #expect(throws: ConfigStoreError.self) { try ConfigStoreLocation(parsing: "mysql://kuando:hunter2@host/db") }
        #expect(unsupported?.description.contains("hunter2") == false)
        #expect(unsupported?.description.contains("sqlite:PATH") == true)
        let invalid = #expect(throws: ConfigStoreError.self) { try ConfigStoreLocation(parsing: "postgres://kuando:hunter2@host:5432/") }
        #expect(invalid?.description.contains("hunter2") == false)
        #expect(invalid?.description.contains("names no database") == true)
    }

    @Test(arguments: [
        ("", "not supported"),
        ("connector.sqlite", "not supported"),
        ("sqlite:", "name the file"),
        ("postgres://host/db", "names no user"),
        ("postgres://kuando@/db", "names no host"),
        ("postgres://kuando@host/db?sslmode=maybe", "sslmode must be one of"),
        ("postgres://kuando@host/db?timeout=3", "unknown option timeout"),
    ])
    func badLocationsSayWhatIsWrong(text: String, expected: String) {
        let error = #expect(throws: ConfigStoreError.self) { try ConfigStoreLocation(parsing: text) }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func openConfigStoreRefusesAnUnknownScheme() async {
        await #expect(throws: ConfigStoreError.unsupportedLocation("redis://host")) {
            try await openConfigStore(url: "redis://host", logger: TestDatabase.logger)
        }
    }

    @Test func anUnreachablePostgresNamesHostAndPortButNotThePassword() async throws {
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        let port = closed.port
        let error = await #expect(throws: ConfigStoreError.self) {
            try await openConfigStore(url: "postgres://kuando:hunter2@127.0.0.1:\(port)/connector?sslmode=disable", logger: TestDatabase.logger)
        }
        guard case .databaseUnreachable(let endpoint, _) = error else {
            Issue.record("expected databaseUnreachable, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "127.0.0.1:\(port)")
        let text = error?.description ?? ""
        #expect(text.contains("127.0.0.1:\(port)"))
        #expect(text.contains("refused"))
        #expect(!text.contains("hunter2"))
    }
}
