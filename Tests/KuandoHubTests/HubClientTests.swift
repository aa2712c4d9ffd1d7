import Busylight
import Foundation
import KuandoHub
import KuandoSync
import Logging
import Testing
import TestSupport
import Timing

private let url = "http://10.0.0.5:8989/"
private let token = "s3cret-token"

@Suite struct HubClientTests {

    private func client(
        _ transport: ScriptedTransport, clock: RecordingClock = RecordingClock(), logger: Logger = quietLogger
    ) -> HubClient {
        HubClient(
            configuration: .init(baseURL: url, token: token), transport: transport, clock: clock,
            backoff: Backoff(random: ConstantRandom(value: 0)), logger: logger)
    }

    private static func status(_ code: Int, _ body: String = "") -> Result<HubHTTPResponse, ScriptedTransport.Unreachable> {
        .success(HubHTTPResponse(status: code, body: Data(body.utf8)))
    }

    @Test func connectRetriesAnUnreachableHubWithBackoffAndLogsOncePerChange() async throws {
        let transport = ScriptedTransport(Array(repeating: .failure(.init()), count: 4))
        let clock = RecordingClock()
        let log = LogCapture()
        try await client(transport, clock: clock, logger: log.logger).connect()

        #expect(clock.sleeps == [0.5, 1, 2, 4].map { Duration.seconds($0) })
        #expect(await transport.actions == Array(repeating: "RegisterDataSource", count: 5) + ["CreateInitialPriority"])
        let warnings = log.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("cannot be reached") == true)
        #expect(warnings.first?.message.hasPrefix(Trace.connectorPrefix) == true)
        #expect(log.entries.filter { $0.level == .notice }.map(\.message) == [
            Trace.connector("hub at \(url) answers again after 4 failed attempts"),
        ])
        #expect(!log.entries.contains { $0.message.contains(token) })
    }

    @Test func connectDoesNotRetryAWrongToken() async throws {
        let transport = ScriptedTransport([Self.status(401)])
        let clock = RecordingClock()
        await #expect(throws: HubError.unauthorized(url: url)) { try await client(transport, clock: clock).connect() }
        #expect(clock.sleeps.isEmpty)
    }

    @Test func registersWithTheSyncEnginesEventNamesAndItsOwnPriorityLine() async throws {
        let transport = ScriptedTransport()
        try await client(transport).register()
        let requests = await transport.requests
        let register = try HubRequest(postBody: try #require(requests.first?.body))
        let source = HubDataSource(
            name: SyncEngine.defaultDataSourceName,
            eventTypes: LampState.hubEventNames.mapValues { HubEventTypeNames(eventNames: $0) })
        #expect(register.action == .registerDataSource(source))
        let priority = try HubRequest(postBody: try #require(requests.last?.body))
        #expect(priority.action == .createInitialPriority(HubPriorityLine(sender: SyncEngine.defaultDataSourceName)))
        #expect(requests.allSatisfy { $0.token == token && $0.baseURL == url })
    }

    @Test func registersAgainAfterAnOutage() async throws {
        let transport = ScriptedTransport([
            Self.status(200), Self.status(200), Self.status(200),  // register, priority, Light
            .failure(.init()),  // Light fails: the hub went away
        ])
        let hub = client(transport)
        let busy = LampAppearance(color: .red)
        try await hub.show(.busy, busy)
        await #expect(throws: HubError.self) { try await hub.show(.busy, busy) }
        try await hub.show(.busy, busy)
        #expect(await transport.actions == [
            "RegisterDataSource", "CreateInitialPriority", "Light", "Light",
            "RegisterDataSource", "CreateInitialPriority", "Light",
        ])
    }

    @Test func showsEachAppearanceWithTheMatchingCommand() {
        let sender = "innovaphone myApps"
        func action(_ appearance: LampAppearance) -> HubAction {
            HubClient.request(showing: .ringing, appearance, sender: sender).action
        }
        let red = BusylightColor(red: 100, green: 0, blue: 0)
        #expect(action(LampAppearance(color: .red)) == .light(red))
        #expect(action(LampAppearance(color: .red, effect: .blink, onTime: 3, offTime: 7)) == .blink(red, onTime: 3, offTime: 7))
        #expect(action(LampAppearance(color: .red, effect: .pulse)) == .pulse(red))
        #expect(action(LampAppearance(color: .red, effect: .off)) == .light(.off))
        #expect(action(LampAppearance(color: .red, effect: .blink, sound: 3, volume: 75)) == .alert(red, sound: 3, volume: 75))
        #expect(action(LampAppearance(color: .yellow)) == .light(BusylightColor(red: 100, green: 71, blue: 0)))
        let request = HubClient.request(showing: .onthephone, LampAppearance(color: .red), sender: sender)
        #expect(request.sender == sender && request.eventType == "Call" && request.eventName == "On the phone")
    }

    @Test(arguments: [
        (401, "", HubError.unauthorized(url: url)),
        (404, "", HubError.noBusylight(url: url)),
        (400, #"{"response":"Error","error":"red must be a whole number"}"#, HubError.rejected(url: url, message: "red must be a whole number")),
        (500, "", HubError.badReply(url: url, detail: "HTTP status 500")),
    ])
    func statusCodesBecomeErrorsThatSayWhatToDo(code: Int, body: String, expected: HubError) async throws {
        let transport = ScriptedTransport([Self.status(code, body)])
        await #expect(throws: expected) { _ = try await client(transport).devices() }
    }

    @Test func errorMessagesTellTheAdminWhatToDoAndNeverShowTheToken() {
        let url = HubError.displayURL("http://10.0.0.5:8989/?accesstoken=\(token)")
        #expect(url == "http://10.0.0.5:8989/")
        let messages = [
            HubError.unreachable(url: url, reason: "connection refused"), .unauthorized(url: url), .noBusylight(url: url),
            .badReply(url: url, detail: "x"),
        ].map(\.description)
        #expect(messages[0].contains("is kuandoHUB running and the HTTP server enabled in its advanced settings?"))
        #expect(messages[1].contains("copy it from the hub's advanced settings"))
        #expect(messages[2].contains("no Busylight is connected"))
        #expect(!messages.contains { $0.contains(token) })
        let request = HubHTTPRequest(method: .get, baseURL: url, query: "action=off", token: token)
        #expect(!request.description.contains(token))
    }

    @Test func anUnreadableCurrentPresenceIsABadReplyAndNoDeviceMeansNoLamp() async throws {
        let transport = ScriptedTransport([Self.status(200, "<html>"), Self.status(200, "NO_DEVICE")])
        let hub = client(transport)
        await #expect(throws: HubError.badReply(url: url, detail: #"currentpresence answered "<html>""#)) {
            _ = try await hub.currentPresence()
        }
        await #expect(throws: HubError.noBusylight(url: url)) { _ = try await hub.currentPresence() }
    }

    @Test func logoutSendsLogoutForItsSender() async throws {
        let transport = ScriptedTransport()
        try await client(transport).logout()
        let body = try #require(await transport.requests.first?.body)
        let request = try HubRequest(postBody: body)
        #expect(request.action == .logout && request.sender == SyncEngine.defaultDataSourceName)
    }
}
