import Foundation
import KuandoHub
import Synchronization
import TestSupport
import Testing
@testable import ConnectorService

/// One scheduler drives many users' hub links: each is polled at its interval (never later),
/// no more than the window at once, and a cancelled link is polled no more.
@Suite struct HubPollSchedulerTests {
    /// Hubs that answer every request at once and note each user's polls and the most requests
    /// in flight together. User `i`'s hub is `http://hub.test/u/i/`.
    final class CountingHubs: HubTransport {
        private struct State {
            var polls: [Int: [ContinuousClock.Instant]] = [:]
            var inFlight = 0
            var mostInFlight = 0
        }

        private let state = Mutex(State())

        func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
            let user = Int(request.baseURL.split(separator: "/").last ?? "") ?? -1
            state.withLock { state in
                state.inFlight += 1
                state.mostInFlight = max(state.mostInFlight, state.inFlight)
                if request.query?.contains("currentpresence") == true { state.polls[user, default: []].append(.now) }
            }
            // A little time on the wire, so that requests overlap.
            try? await Task.sleep(for: .milliseconds(2))
            state.withLock { $0.inFlight -= 1 }
            return HubHTTPResponse(status: 200, body: Data())
        }

        func polls(of user: Int) -> [ContinuousClock.Instant] { state.withLock { $0.polls[user] ?? [] } }
        var mostInFlight: Int { state.withLock { $0.mostInFlight } }
    }

    /// User `user`'s link to its hub at `url` (default `http://hub.test/u/<user>/`), watched by `app` when given.
    func poller(for user: Int, hubs: CountingHubs, interval: Duration, url: String? = nil, app: WatchingApp? = nil) -> HubPoller {
        let key = UserKey(domain: "example.com", guid: String(format: "%032x", user + 1), sip: "u\(user)")
        let session = UserSession(user: key, config: .defaults, pbx: RecordingPBX()) { _ in }
        let client = HubClient(configuration: .init(baseURL: url ?? "http://hub.test/u/\(user)/"), transport: hubs)
        return HubPoller(session: session, client: client, pollInterval: interval, watcher: app)
    }

    /// A hidden app that relays to `hubs` and records the watches it is given.
    final class WatchingApp: HubRelayChannel {
        let hubs: CountingHubs
        private let orders = Mutex<[HubWatchOrder]>([])
        init(hubs: CountingHubs) { self.hubs = hubs }
        func relay(_ request: HubHTTPRequest) async throws -> HubHTTPResponse { try await hubs.send(request) }
        func watch(_ watch: HubWatchOrder) async throws { orders.withLock { $0.append(watch) } }
        func unwatch(_ id: Int) async {}
        var watches: [HubWatchOrder] { orders.withLock { $0 } }
    }

    @Test func aWatchReportThatTheHubIsGoneWakesTheLinkToRegisterAtOnce() async throws {
        let hubs = CountingHubs()
        let app = WatchingApp(hubs: hubs)
        let scheduler = HubPollScheduler()
        // Interval and watchdog far longer than the test: only a wake-up can register again.
        let link = poller(for: 0, hubs: hubs, interval: .seconds(60), url: "http://localhost:8989/", app: app)
        let session = link.session
        let ticket = scheduler.add(link)
        #expect(await eventually { app.watches.count == 1 })
        let first = try #require(app.watches.first)
        #expect(first.request.url == "http://localhost:8989/?action=currentpresence")
        #expect(hubs.polls(of: -1).isEmpty, "the service does not poll a watched hub")
        await first.receiver.received(.answered(.success(HubHTTPResponse(status: 200, body: Data()))), watch: first.id)
        #expect(await session.status.hubReachable)

        await first.receiver.received(.answered(.failure(HubRelayError.fetchFailed("TypeError: Failed to fetch"))), watch: first.id)
        #expect(await eventually { app.watches.count == 2 }, "registered again and watching within moments")
        #expect(app.watches.last?.id != first.id)
        // A report of the old watch changes nothing.
        await first.receiver.received(.answered(.failure(HubRelayError.fetchFailed("late"))), watch: first.id)
        #expect(await session.status.hubReachable)
        ticket.cancel()
    }

    @Test func anAppThatPollsLessThanHalfAsOftenAsAskedIsPolledThrough() async throws {
        let hubs = CountingHubs()
        let app = WatchingApp(hubs: hubs)
        let scheduler = HubPollScheduler()
        let interval = Duration.milliseconds(20)
        let link = poller(for: 1, hubs: hubs, interval: interval, url: "http://localhost:8989/", app: app)
        let session = link.session
        let ticket = scheduler.add(link)
        #expect(await eventually { app.watches.count == 1 })
        let watch = try #require(app.watches.first)
        // Ten intervals pass (the quantity under test, not a wait for an event).
        try await Task.sleep(for: interval * 10)
        await watch.receiver.received(.unchanged, polls: 100, watch: watch.id)
        #expect(hubs.polls(of: -1).isEmpty, "as many polls as asked: still watched")
        try await Task.sleep(for: interval * 10)
        await watch.receiver.received(.unchanged, polls: 2, watch: watch.id)
        #expect(await eventually { hubs.polls(of: -1).count >= 2 }, "2 polls in 10 intervals: the service polls through the app")
        #expect(await session.status.lastErrors.contains { $0.message.contains("throttles background pages") })
        #expect(app.watches.count == 1, "no new watch on this link")
        ticket.cancel()
    }

    @Test func manyLinksArePolledAtTheirIntervalWithinTheWindow() async throws {
        let hubs = CountingHubs()
        let scheduler = HubPollScheduler(maximumInFlight: 8)
        let interval = Duration.milliseconds(300)
        let users = 50
        let tickets = (0..<users).map { scheduler.add(poller(for: $0, hubs: hubs, interval: interval)) }
        #expect(await eventually(timeout: .seconds(30)) { (0..<users).allSatisfy { hubs.polls(of: $0).count >= 4 } })
        for ticket in tickets { ticket.cancel() }

        #expect(hubs.mostInFlight <= 8, "the window holds: \(hubs.mostInFlight) requests at once")
        // Never early by more than the jitter. (How late a busy machine runs a step is the
        // benchmark's to measure: runs[].polling.changeToPBX.)
        let gaps = (0..<users).flatMap { user in zip(hubs.polls(of: user).dropFirst(), hubs.polls(of: user)).map { $0 - $1 } }
        #expect(gaps.allSatisfy { $0 >= interval * 0.9 - .milliseconds(5) }, "shortest gap \(gaps.min() ?? .zero)")
        #expect(scheduler.count == 0)
    }

    @Test func theJitterIsUpToATenthOfTheWaitAtMost100msAndVaries() {
        for wait in [Duration.milliseconds(300), .seconds(1), .seconds(60)] {
            let draws = (0..<200).map { _ in HubPollScheduler.jitter(for: wait) }
            let ceiling = min(wait / 10, .milliseconds(100))
            #expect(draws.allSatisfy { $0 >= .zero && $0 <= ceiling }, "\(wait): \(draws.max()!)")
            #expect(Set(draws).count > 100, "spread, not one value")
        }
    }

    @Test func aCancelledLinkIsPolledNoMoreWhileTheOthersGoOn() async throws {
        let hubs = CountingHubs()
        let scheduler = HubPollScheduler()
        let interval = Duration.milliseconds(100)
        let cancelled = scheduler.add(poller(for: 0, hubs: hubs, interval: interval))
        let kept = scheduler.add(poller(for: 1, hubs: hubs, interval: interval))
        #expect(await eventually { hubs.polls(of: 0).count >= 2 })
        cancelled.cancel()
        let pollsAtCancel = hubs.polls(of: 0).count
        let keptAtCancel = hubs.polls(of: 1).count
        #expect(await eventually { hubs.polls(of: 1).count >= keptAtCancel + 5 }, "the other link goes on")
        // A poll that was running when the link was cancelled may still arrive: at most one.
        #expect(hubs.polls(of: 0).count <= pollsAtCancel + 1)
        kept.cancel()
        #expect(scheduler.count == 0)
    }
}
