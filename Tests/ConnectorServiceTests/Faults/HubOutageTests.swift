import Foundation
import KuandoHub
import KuandoSync
import Logging
import Testing
import TestSupport
@testable import ConnectorService
import Timing

/// A user's hub that goes away for a long time and comes back, on a virtual clock: the retries
/// follow the capped backoff, the log and the status panel hear of it once, and the lamp is right
/// again as soon as the hub answers.
@Suite struct HubOutageTests {
    static let alice = UserKey(domain: "example.com", guid: "11111111111111111111111111111111", sip: "alice")
    static let url = "http://hub.test:8989/"

    /// Everything of one user's hub link, on `clock`, with what it logs and traces captured.
    struct Link {
        let clock = ManualClock()
        let hub: SwitchableHub
        let logs = LogCapture()
        let traces = TraceLog()
        let session: UserSession
        let client: HubClient

        init() throws {
            hub = try SwitchableHub()
            client = HubClient(
                configuration: .init(baseURL: HubOutageTests.url), transport: hub, clock: clock,
                backoff: Backoff(random: ConstantRandom(value: 0)), logger: logs.logger)
            let traces = self.traces
            session = UserSession(user: HubOutageTests.alice, config: .defaults, pbx: RecordingPBX()) { traces.append($0) }
        }

        /// Runs the session and its hub link around `body`, then stops both.
        func run(_ body: () async throws -> Void) async throws {
            await session.setLicensed(true)
            await session.attachHub(client, transport: "direct")
            let link = Task { [session, client, clock] in
                await HubPoller(session: session, client: client, pollInterval: .seconds(1), clock: clock).run()
            }
            do {
                try await body()
            } catch {
                link.cancel()
                await session.finish()
                throw error
            }
            link.cancel()
            await link.value
            await session.finish()
        }

        func hubShows(_ state: LampState) async -> Bool {
            await eventually {
                let winner = await hub.winner
                return winner?.sender == SyncEngine.defaultDataSourceName && winner?.event == state.hubEventName
            }
        }
    }

    @Test func aHubAwayForAnHourIsRetriedOnTheCappedBackoffLoggedOnceAndRightAgainWithinOnePoll() async throws {
        let link = try Link()
        try await link.run {
            link.session.send(.call(CallChange(id: "1", direction: .incoming, phase: .connected)))
            #expect(await link.hubShows(.onthephone))
            #expect(try await link.clock.pendingSleep() == .seconds(1), "the link polls every second while the hub answers")

            // The hub goes away; meanwhile the call is put on hold.
            await link.hub.setUp(false)
            #expect(await eventually { await link.hub.inFlight == 0 }, "requests sent before the outage are answered")
            let downAt = link.clock.elapsed
            link.session.send(.call(CallChange(id: "1", direction: .incoming, phase: .held)))
            #expect(try await link.clock.advance() == .seconds(1))
            var retries: [Duration] = []
            while link.clock.elapsed - downAt < .seconds(3600) {
                retries.append(try await link.clock.advance())
            }
            // The next registration has failed too and its retry waits.
            #expect(try await link.clock.pendingSleep() == .seconds(30))

            // The capped schedule: 1, 2, 4, … 60 s ceilings, each halved by the (fixed) jitter.
            let expectedStart: [Duration] = [0.5, 1, 2, 4, 8, 16, 30].map { .seconds($0) }
            #expect(Array(retries.prefix(expectedStart.count)) == expectedStart)
            #expect(retries.dropFirst(expectedStart.count - 1).allSatisfy { $0 == .seconds(30) })
            #expect((110...130).contains(retries.count), "an hour at ≤ 60 s per try is about 120 tries, not \(retries.count)")

            // One warning when it went away, nothing per try; the panel got one line per problem.
            let loud = link.logs.entries(atLeast: .notice)
            #expect(loud.count == 1, "\(loud.map(\.message))")
            #expect(loud.first?.level == .warning && loud.first?.message.contains("cannot be reached") == true)
            let unreachableTraces = link.traces.all.filter { $0.contains("cannot be reached") }
            let failedCommands = unreachableTraces.filter { $0.contains(" failed: hub at") }
            #expect(unreachableTraces.count - failedCommands.count == 1, "the link notes the outage once, not per try: \(unreachableTraces)")
            #expect((1...2).contains(failedCommands.count), "one line per lamp command that could not be sent: \(failedCommands)")
            let refusedWhileDown = await link.hub.refused
            #expect(
                refusedWhileDown == failedCommands.count + 1 + retries.count + 1,
                "the failed lamp commands, the failed poll and one registration before each wait (the last still waiting)")

            // The hub process restarted: it forgot the data source; the link registers it again
            // and the held call shows before the next poll is due.
            try await link.hub.restart()
            await link.hub.setUp(true)
            try await link.clock.advance()
            let returnedAt = link.clock.elapsed
            #expect(await link.hubShows(.held))
            #expect(await link.hub.knows(SyncEngine.defaultDataSourceName))
            #expect(await link.hub.received.prefix(2) == ["RegisterDataSource", "CreateInitialPriority"])
            #expect(try await link.clock.pendingSleep() == .seconds(1), "back to polling every second")
            #expect(link.clock.elapsed == returnedAt, "right again within one poll")
            #expect(await link.session.status.hubReachable)

            let back = link.logs.entries(atLeast: .notice).dropFirst()
            #expect(back.map(\.message) == [Trace.connector("hub at \(Self.url) answers again after \(refusedWhileDown) failed attempts")])
        }
    }

    @Test func aHubThatComesBackAfterAShortOutageIsPolledAgainAtTheConfiguredInterval() async throws {
        let link = try Link()
        try await link.run {
            #expect(try await link.clock.pendingSleep() == .seconds(1))
            await link.hub.setUp(false)
            try await link.clock.advance()
            #expect(try await link.clock.advance() == .milliseconds(500))
            #expect(try await link.clock.advance() == .seconds(1))
            #expect(try await link.clock.pendingSleep() == .seconds(2))
            await link.hub.setUp(true)
            #expect(try await link.clock.advance() == .seconds(2))
            // Registered again, then polls at the interval, not on the backoff schedule.
            for _ in 0..<3 { #expect(try await link.clock.advance() == .seconds(1)) }
            #expect(await link.hub.received.filter { $0 == "RegisterDataSource" }.count == 2)
            #expect(link.logs.entries(atLeast: .notice).count == 2)
        }
    }
}
