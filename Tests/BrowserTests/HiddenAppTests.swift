import AppWebsocket
import ConnectorService
import Foundation
import TestSupport
import Testing

extension PageTests {
    /// The hidden app against the fake service: relay to a hub, phoneinfo calls, reconnect, trace.
    @Suite struct HiddenApp {
        @Test func relaysAHubRequestWithTheTokenAcrossOrigins() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                // `localhost` is another origin than the page's 127.0.0.1: the real CORS path.
                let url = "http://localhost:\(port)/hub?action=currentpresence"
                let connection = try #require(service.connection(FakeService.hiddenApp))
                let answer = try await connection.request(Frame(mt: AppAPI.HubRelayRequest.messageType, fields: [
                    "method": "GET", "url": .string(url), "body": "", "token": "t0ken",
                ]), expecting: AppAPI.HubRelayResult.messageType)
                #expect(answer.mt == "HubRelayResult")
                #expect(answer.object["status"]?.intValue == 200)
                #expect(answer.object["body"]?.stringValue == FakeService.hubBody)
                #expect(answer.object["error"] == nil)
                let hub = service.log.entries.compactMap { if case .hubRequest(let method, let query, let token, _) = $0, method == "GET" { (query, token) } else { nil } }
                #expect(hub.first?.0 == "action=currentpresence")
                #expect(hub.first?.1 == "t0ken")
            }
        }

        @Test func relaysAPostBodyAndSendsNoTokenWhenThereIsNone() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                let connection = try #require(service.connection(FakeService.hiddenApp))
                let body = #"{"action":"RegisterDataSource","sender":"innovaphone myApps"}"#
                let answer = try await connection.request(Frame(mt: AppAPI.HubRelayRequest.messageType, fields: [
                    "method": "POST", "url": .string("http://localhost:\(port)/hub"), "body": .string(body), "token": "",
                ]), expecting: AppAPI.HubRelayResult.messageType)
                #expect(answer.object["status"]?.intValue == 200)
                let posts = service.log.entries.compactMap { if case .hubRequest("POST", _, let token, let sent) = $0 { (token, sent) } else { nil } }
                #expect(posts.first?.0 == nil)
                #expect(posts.first?.1 == body)
            }
        }

        @Test func reportsAHubThatCannotBeReached() async throws {
            let service = FakeService()
            let closedPort = try ClosedPort().port
            try await service.withHiddenApp { browser, port in
                let connection = try #require(service.connection(FakeService.hiddenApp))
                let answer = try await connection.request(Frame(mt: AppAPI.HubRelayRequest.messageType, fields: [
                    "method": "GET", "url": .string("http://localhost:\(closedPort)/?action=currentpresence"), "body": "", "token": "",
                ]), expecting: AppAPI.HubRelayResult.messageType)
                #expect(answer.object["status"] == nil)
                #expect(answer.object["error"]?.stringValue == "TypeError: Failed to fetch")
            }
        }

        /// Asks the hidden app to watch the fake hub at `/hub?<query>`, polling every 100 ms.
        static func watch(_ id: Int, _ query: String, port: Int, token: String? = nil, keepaliveMs: Int = 60_000, service: FakeService) async throws {
            try await service.send(Frame(AppAPI.HubWatch(
                watch: id, url: "http://localhost:\(port)/hub?\(query)", token: token, intervalMs: 100, keepaliveMs: keepaliveMs)),
                to: FakeService.hiddenApp)
        }

        @Test func watchesTheHubAndReportsOnlyChangesUntilUnwatched() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                let gets: @Sendable (String) -> Int = { query in
                    service.log.entries.filter { if case .hubRequest("GET", query, _, _) = $0 { true } else { false } }.count
                }
                let reports: @Sendable () -> [Frame] = { service.received(AppAPI.HubWatchReport.messageType) }
                try await Self.watch(7, "action=currentpresence", port: port, token: "t0ken", service: service)
                let first = try await pollFor("the first report") { reports().first }
                #expect(first.object["watch"]?.intValue == 7)
                #expect(first.object["status"]?.intValue == 200)
                #expect(first.object["body"]?.stringValue == FakeService.hubBody)
                #expect(first.object["polls"]?.intValue == 1)
                #expect(service.log.entries.contains { if case .hubRequest("GET", _, "t0ken", _) = $0 { true } else { false } })
                // Unchanged answers are polled but not reported.
                try await eventually("five polls") { gets("action=currentpresence") >= 5 }
                #expect(reports().count == 1)
                let changed = #"{"runningcommand":{"sender":"Manual Changer","eventtype":"Presence","eventname":"Away"}}"#
                service.hubAnswer.withLock { $0 = changed }
                let second = try await pollFor("the change reported") { reports().count >= 2 ? reports()[1] : nil }
                #expect(second.object["body"]?.stringValue == changed)
                // A new watch replaces the old one, and an unwatched one polls no more.
                try await Self.watch(8, "action=currentpresence&w=8", port: port, service: service)
                try await eventually("the new watch's first report") { reports().contains { $0.object["watch"]?.intValue == 8 } }
                let oldPolls = gets("action=currentpresence")
                try await service.send(Frame(AppAPI.HubUnwatch(watch: 8)), to: FakeService.hiddenApp)
                let newPolls = gets("action=currentpresence&w=8")
                // Two polls' time of the unwatched watch: the last fetch may still land, no more.
                try await Self.watch(9, "action=currentpresence&w=9", port: port, service: service)
                try await eventually("the third watch polls four times") { gets("action=currentpresence&w=9") >= 4 }
                #expect(gets("action=currentpresence") == oldPolls, "the replaced watch stopped")
                #expect(gets("action=currentpresence&w=8") <= newPolls + 1, "the unwatched watch stopped")
            }
        }

        @Test func sendsAKeepaliveWhileTheHubAnswersTheSame() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                try await Self.watch(3, "action=currentpresence", port: port, keepaliveMs: 300, service: service)
                let same = try await pollFor("a keepalive") {
                    service.received(AppAPI.HubWatchReport.messageType).first { $0.object["same"]?.boolValue == true }
                }
                #expect(same.object["watch"]?.intValue == 3)
                #expect(same.object["body"] == nil)
                // About three polls of 100 ms in a keepalive of 300 ms: the service reads throttling from it.
                #expect((2...4).contains(same.object["polls"]?.intValue ?? 0), "\(same)")
            }
        }

        @Test func forwardsPhoneAppCallsFromPhoneinfo() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                try await browser.click(#"[data-call="CallAdded"]"#)
                try await pollFor("CallAdded forwarded") { service.received("PhoneCall").first }
                try await browser.click(#"[data-call="CallUpdated"][data-call-state="Connected"]"#)
                try await browser.click(#"[data-call="CallRemoved"]"#)
                let calls = try await pollFor("three call events") {
                    let calls = service.received("PhoneCall")
                    return calls.count >= 3 ? calls : nil
                }
                #expect(calls.map { $0.object["event"]?.stringValue } == ["CallAdded", "CallUpdated", "CallRemoved"])
                let added = try #require(calls.first?.object["call"]?.objectValue)
                #expect(added["state"]?.stringValue == "Alerting")
                #expect(added["dir"]?.stringValue == "i")
                #expect(added["mt"] == nil)
                #expect(calls[1].object["call"]?.objectValue?["state"]?.stringValue == "Connected")
                #expect(calls.map { $0.object["call"]?.objectValue?["id"] }.allSatisfy { $0 == added["id"] })
            }
        }

        @Test func callsChangedWhileDisconnectedReachTheServiceOnceAfterTheReconnect() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                try await browser.click(#"[data-call="CallAdded"]"#)
                let first = try await pollFor("the first call forwarded") { service.received("PhoneCall").first }
                let firstID = try #require(first.object["call"]?.objectValue?["id"])
                service.loginsClosed.withLock { $0 = true }
                try await #require(service.connection(FakeService.hiddenApp)).close()
                try await eventually("the hidden app tried to log in again") { service.refusedLogins.withLock { $0 } >= 1 }
                // While away: the first call ends, a second one rings and is answered.
                try await browser.click(#"[data-call="CallRemoved"]"#)
                try await browser.click(#"[data-call="CallAdded"]"#)
                try await browser.click(#"[data-call="CallUpdated"][data-call-state="Connected"]"#)
                #expect(service.received("PhoneCall").count == 1)
                service.loginsClosed.withLock { $0 = false }
                try await eventually("a second login of the hidden app", timeout: .seconds(40)) {
                    service.logins(FakeService.hiddenApp) >= 2
                }
                let resent = try await pollFor("the calls sent again") {
                    let calls = service.received("PhoneCall").dropFirst()
                    return calls.count >= 2 ? Array(calls) : nil
                }
                #expect(resent.map { $0.object["event"]?.stringValue } == ["CallRemoved", "CallUpdated"])
                #expect(resent[0].object["call"]?.objectValue?["id"] == firstID)
                let second = try #require(resent[1].object["call"]?.objectValue)
                #expect(second["id"] != firstID)
                #expect(second["state"]?.stringValue == "Connected")
                // One socket keeps order: once the hang-up arrives, nothing was sent twice before it.
                try await browser.click(#"[data-call="CallRemoved"]"#)
                let all = try await pollFor("the hang-up") {
                    let calls = service.received("PhoneCall")
                    return calls.last?.object["event"]?.stringValue == "CallRemoved" && calls.count > 3 ? calls : nil
                }
                #expect(all.count == 4, "each change is delivered once")
            }
        }

        @Test func logsInAgainAfterTheServiceDropsIt() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                let first = try #require(service.connection(FakeService.hiddenApp))
                await first.close()
                try await eventually("a second login of the hidden app", timeout: .seconds(10)) {
                    service.logins(FakeService.hiddenApp) >= 2
                }
                let second = try #require(service.connection(FakeService.hiddenApp))
                let answer = try await second.request(Frame(mt: AppAPI.HubRelayRequest.messageType, fields: [
                    "method": "GET", "url": .string("http://localhost:\(port)/hub?action=currentpresence"), "body": "", "token": "",
                ]), expecting: AppAPI.HubRelayResult.messageType)
                #expect(answer.object["status"]?.intValue == 200)
            }
        }

        @Test func printsTheServicesTraceLinesWithThePrefix() async throws {
            let service = FakeService()
            try await service.withHiddenApp { browser, port in
                let lines = try await browser.consoleLog(until: "kuandoconnector-log: service says hello to alice")
                #expect(lines.contains { $0.message.contains("kuandoconnector-log: logged in (Instance Connected)") })
                // The seed's first troubleshooting line: the service URL and the page it came from.
                let start = "kuandoconnector-log: start.url=ws://127.0.0.1:\(port)/\(FakeService.path)/ start.originalUrl=http://127.0.0.1:\(port)/\(FakeService.path)/\(FakeService.hiddenApp) start.name="
                #expect(lines.contains { $0.message.contains(start) }, "\(lines.map(\.message))")
            }
        }
    }
}
