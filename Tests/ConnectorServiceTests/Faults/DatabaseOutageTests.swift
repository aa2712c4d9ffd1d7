import AppWebsocket
import Foundation
import KuandoHub
import KuandoSync
import Logging
import PostgresNIO
import Testing
import TestSupport
@testable import ConnectorService
import Timing

/// The PostgreSQL server is not there when the service starts, or goes away while it runs: the
/// admin reads one clear error, the service waits and retries, never crashes, and never
/// acknowledges a write the database did not take.
@Suite(.serialized) struct DatabaseOutageTests {
    /// A PostgreSQL server of the test's own (the test stops and starts it), with one fresh database.
    func withOwnServer(_ body: (PostgresTestServer, PostgresLocation) async throws -> Void) async throws {
        let server = try TestDatabase.require(await PostgresTestServer.start())
        try await withCleanup {
            let location = PostgresLocation(
                host: "127.0.0.1", port: server.port, username: PostgresTestServer.user, password: server.password,
                database: try await server.createDatabase(), tls: .disable)
            try await body(server, location)
        } cleanup: {
            await server.stop()
        }
    }

    @Test func aDatabaseMissingAtStartIsRetriedWithBackoffAndLoggedOnce() async throws {
        let closed = try ClosedPort()
        let port = closed.port
        let clock = ManualClock()
        let logs = LogCapture()
        let opening = Task {
            try await openConfigStore(
                url: "postgres://kuando:db-secret-42@127.0.0.1:\(port)/kuando", logger: logs.logger,
                retrying: Backoff(initial: .seconds(1), maximum: .seconds(30), random: ConstantRandom(value: 0)), clock: clock)
        }
        var waits: [Duration] = []
        // Each try is a real connection attempt; on a loaded machine it can take a while.
        for _ in 0..<7 { waits.append(try await clock.advance(timeout: .seconds(60))) }
        #expect(waits == [0.5, 1, 2, 4, 8, 15, 15].map { Duration.seconds($0) })
        opening.cancel()
        await #expect(throws: CancellationError.self) { _ = try await opening.value }

        let warnings = logs.entries(atLeast: .warning)
        #expect(warnings.count == 1, "one line, not one per try: \(warnings.map(\.message))")
        #expect(warnings.first?.metadata.contains("PostgreSQL at 127.0.0.1:\(port) is not reachable") == true, "\(logs.text)")
        #expect(warnings.first?.message.contains("retries") == true)
        #expect(!logs.text.contains("db-secret-42"))
        withExtendedLifetime(closed) {}
    }

    @Test func aDatabaseThatIsRefusedIsNotRetried() async throws {
        try await withOwnServer { server, _ in
            let clock = ManualClock()
            await #expect(throws: ConfigStoreError.self) {
                _ = try await openConfigStore(url: server.url(database: "postgres", password: "wrong"), logger: LogCapture().logger, retrying: Backoff(), clock: clock)
            }
            #expect(clock.elapsed == .zero, "a refused login does not heal by waiting")
        }
    }

    @Test func aDatabaseServerStartedLaterIsWaitedForAndThenUsed() async throws {
        try await withOwnServer { server, location in
            try await server.pause()
            let clock = ManualClock()
            let logs = LogCapture()
            let url = server.url(database: location.database)
            let opening = Task { try await openConfigStore(url: url, logger: logs.logger, retrying: Backoff(), clock: clock) }
            try await clock.advance()
            try await clock.advance()
            try await server.resume()
            try await clock.advance()
            let store = try await opening.value
            let alice = UserKey(domain: "example.com", guid: "11111111111111111111111111111111", sip: "alice")
            var config = UserConfig.defaults
            config.pollIntervalMs = 2500
            try await store.whileRunning { () async throws in
                try await store.save(config, for: alice)
                #expect(try await store.config(for: alice)?.pollIntervalMs == 2500)
            }
            #expect(logs.entries(atLeast: .warning).count == 1)
            #expect(logs.entries.contains { $0.level == .notice && $0.message.contains("reachable") })
        }
    }

    @Test func whileTheDatabaseIsDownSettingsAreRefusedClearlyNotStoredAndTheServiceRecovers() async throws {
        try await withOwnServer { server, location in
            let logs = LogCapture()
            let store = try await PostgresConfigStore.open(location, logger: logs.logger, operationTimeout: .seconds(2))
            try await ServiceRig.run(store: store) { rig in
                try await rig.withApp("alice") { connection in
                    func setPoll(_ milliseconds: Int) async throws -> JSONObject {
                        try await connection.request(Frame(AppAPI.SetConfig(config: ["pollIntervalMs": .int(milliseconds)]))).object
                    }
                    #expect(try await setPoll(2000)["ok"]?.boolValue == true)

                    try await server.pause()
                    for milliseconds in [3000, 3100, 3200] {
                        let refused = try await setPoll(milliseconds)
                        #expect(refused["ok"]?.boolValue == false)
                        #expect(refused["error"]?.stringValue?.contains("PostgreSQL at 127.0.0.1:\(server.port) is not reachable") == true, "\(refused)")
                    }
                    let read = try await connection.request(Frame(AppAPI.GetConfig())).object
                    #expect(read["error"]?.stringValue?.contains("not reachable") == true)
                    let health = await rig.pbx.state.connected
                    #expect(health, "the PBX link stays up while the database is away")

                    try await server.resume()
                    try await eventually("settings are taken again once the database is back", timeout: .seconds(30)) {
                        try await setPoll(4000)["ok"]?.boolValue == true
                    }
                    let config = try await connection.request(Frame(AppAPI.GetConfig())).object["config"]?.objectValue
                    #expect(config?["pollIntervalMs"]?.intValue == 4000)
                }
            }
            let direct = try await PostgresConfigStore.open(location, logger: LogCapture().logger)
            try await direct.whileRunning { () async throws in
                #expect(try await direct.config(for: UserKey(domain: "example.com", guid: ServiceRig.alice.guid))?.pollIntervalMs == 4000)
            }
            #expect(logs.entries(atLeast: .warning).count == 1, "one warning for the outage, not one per request: \(logs.text)")
            #expect(logs.entries.contains { $0.message.contains("reachable again") })
            #expect(!logs.text.contains(server.password))
        }
    }
}
