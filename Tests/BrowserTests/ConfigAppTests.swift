import AppWebsocket
import Foundation
import KuandoSync
import TestSupport
import Testing

extension PageTests {
    /// The config app against the fake service: login, settings, tests, status, languages.
    @Suite struct ConfigApp {
        @Test func logsInThroughTheStandInAndShowsTheDefaults() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                try await browser.waitForText("#connection", contains: "Connected")
                try await browser.waitForText("#user", contains: "Alice Liddell (alice@example.com)")
                #expect(try await browser.value("#hubUrl") == UserConfig.defaults.hubUrl)
                #expect(try await browser.value("#pollIntervalMs") == "1000")
                #expect(try await browser.value(#"[data-field="lamp.busy.color"]"#) == "#ff0000")
                #expect(try await browser.value(#"[data-field="lamp.ringing.effect"]"#) == "blink")
                #expect(try await browser.execute(#"return document.getElementById("hubCallsToPBX").checked"#, as: Bool.self))
                #expect(try await browser.execute(#"return document.getElementById("licence").hidden"#, as: Bool.self))
                #expect(service.logins(FakeService.configApp) == 1)
            }
        }

        @Test func savesAColourAndTheServiceStoresIt() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                try await browser.setValue(#"[data-field="lamp.busy.color"]"#, "#12ab34")
                try await browser.click("#save")
                try await browser.waitForText("#saveResult", contains: "Saved.")
                #expect(service.config(of: "alice")?.lamp[.busy]?.color == LampColor(hex: "#12AB34"))
                #expect(try await browser.execute(
                    #"return document.querySelector('[data-state="busy"] [data-swatch]').style.getPropertyValue("--lamp")"#, as: String.self) == "#12ab34")
            }
        }

        @Test func obviousMistakesAreShownAndNeverSent() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                try await browser.retype("#hubUrl", "localhost 8989")
                try await browser.retype("#pollIntervalMs", "10")
                try await browser.click("#save")
                try await browser.waitForText("#saveResult", contains: "please correct the marked fields")
                try await browser.waitForText(#"[data-problem="hubUrl"]"#, contains: "http://")
                try await browser.waitForText(#"[data-problem="pollIntervalMs"]"#, contains: "250")
                #expect(service.received("SetConfig").isEmpty)
                #expect(service.config(of: "alice") == UserConfig.defaults)
            }
        }

        @Test func theServicesProblemsAppearNextToTheirFields() async throws {
            let service = FakeService()
            service.refusal.withLock {
                $0 = [
                    ConfigProblem(field: "hubUrl", message: "is not in a network the administrator allows"),
                    ConfigProblem(field: "lamp.held.sound", message: "must be 0–8 (0 is silent), got 9"),
                ]
            }
            try await service.withConfigApp { browser in
                try await browser.retype("#hubUrl", "http://10.9.8.7:8989/")
                try await browser.click("#save")
                try await browser.waitForText("#saveResult", contains: "Not saved: the settings have mistakes; nothing was saved")
                try await browser.waitForText(#"[data-problem="hubUrl"]"#, contains: "is not in a network the administrator allows")
                try await browser.waitForText(#"[data-problem="lamp.held"]"#, contains: "got 9")
                #expect(service.received("SetConfig").count == 1)
                #expect(service.config(of: "alice")?.hubUrl == UserConfig.defaults.hubUrl)
            }
        }

        @Test func testConnectionShowsTheHubsAnswerAndTheErrorVerbatim() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                try await browser.retype("#hubUrl", "http://10.1.2.3:8989/")
                try await browser.retype("#hubToken", "wrong-token")
                try await browser.click("#testHub")
                try await browser.waitForText("#testHubResult", contains: FakeService.wrongTokenError("http://10.1.2.3:8989/"))
                try await browser.waitForText(#"[data-result="resultToken"]"#, contains: "refused")
                let request = try #require(service.received("TestHub").last)
                #expect(request.object["hubToken"]?.stringValue == "wrong-token")

                try await browser.retype("#hubToken", FakeService.hubToken)
                try await browser.click("#testHub")
                try await browser.waitForText(#"[data-result="resultToken"]"#, contains: "accepted")
                try await browser.waitForText(#"[data-result="resultLamps"]"#, contains: "Busylight Omega")
                try await browser.waitForText(#"[data-result="resultWinner"]"#, contains: "Call / Call Alert from Microsoft Teams")
            }
        }

        @Test func testLampSendsTheStateOrTheEditedColour() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                try await browser.click(#"[data-test-lamp="dnd"]"#)
                try await browser.waitForText(#"[data-problem="lamp.dnd"]"#, contains: "5 s")
                #expect(service.received("TestLamp").last?.object["state"]?.stringValue == "dnd")

                try await browser.setValue(#"[data-field="lamp.away.color"]"#, "#00ff00")
                try await browser.setValue(#"[data-field="lamp.away.effect"]"#, "pulse")
                try await browser.click(#"[data-test-lamp="away"]"#)
                try await eventually("the edited away row tested") { service.received("TestLamp").count == 2 }
                let edited = try #require(service.received("TestLamp").last)
                #expect(edited.object["color"]?.stringValue == "#00FF00")
                #expect(edited.object["effect"]?.stringValue == "pulse")
                #expect(edited.object["state"] == nil)
            }
        }

        @Test func theStatusPanelFollowsStatusUpdates() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                let subscription = try await pollFor("SubscribeStatus") { service.received("SubscribeStatus").first }
                let status: JSONObject = [
                    "licensed": true,
                    "calls": [["id": "7", "direction": "incoming", "phase": "alerting"]],
                    "pbxPresence": ["activity": "away", "note": "lunch"],
                    "manualPresence": ["activity": "away", "note": "lunch"],
                    "hubWinner": ["sender": "Zoom", "eventType": "Call", "eventName": "Call Started"],
                    "shownOnHub": "ringing", "thirdPartyCall": "Zoom", "hubReachable": false, "hubTransport": "relay",
                    "lastErrors": [["time": "2026-05-04T10:00:00Z", "message": "hub at http://localhost:8989/ cannot be reached"]],
                ]
                try await service.send(Frame(mt: "StatusUpdate", src: subscription.src, fields: ["status": .object(status)]), to: FakeService.configApp)
                try await browser.waitForText("#statusCalls", contains: "incoming · alerting")
                try await browser.waitForText("#statusPresence", contains: "away (lunch) (set by you in myApps)")
                try await browser.waitForText("#statusHub", contains: "Call / Call Started from Zoom")
                try await browser.waitForText("#statusShown", contains: "Ringing")
                try await browser.waitForText("#statusThirdParty", contains: "Zoom")
                try await browser.waitForText("#statusHubLink", contains: "not reachable, through myApps on this PC")
                try await browser.waitForText("#statusErrors", contains: "hub at http://localhost:8989/ cannot be reached")
            }
        }

        @Test func anUnlicensedUserIsToldPlainly() async throws {
            let service = FakeService()
            try await service.withConfigApp(user: "bob") { browser in
                try await browser.waitFor("the licence notice shows", #"return !document.getElementById("licence").hidden"#)
                try await browser.waitForText("#licence", contains: "No licence App(innovaphone-kuando) is assigned to you — ask your administrator")
            }
        }

        @Test func speaksGermanWhenMyAppsAsksForIt() async throws {
            let service = FakeService()
            try await service.withConfigApp(lang: "de") { browser in
                try await browser.waitForText("#connection", contains: "Verbunden")
                try await browser.waitForText("#testHub", contains: "Verbindung testen")
                try await browser.waitForText(#"[data-state="dnd"] legend"#, contains: "Nicht stören")
                #expect(try await browser.execute("return document.documentElement.lang", as: String.self) == "de")
            }
        }

        @Test func outsideMyAppsTheAppSaysWhereToOpenIt() async throws {
            let service = FakeService()
            try await service.run { port in
                try await Browser.withSession { browser in
                    try await browser.navigate(to: URL(string: "http://127.0.0.1:\(port)/kuando/\(FakeService.configApp).htm")!)
                    try await browser.waitForText("#connection", contains: "Open this app from myApps")
                    #expect(service.logins(FakeService.configApp) == 0)
                }
            }
        }

        @Test func traceLinesCarryTheConfigPrefix() async throws {
            let service = FakeService()
            try await service.withConfigApp { browser in
                let lines = try await browser.consoleLog(until: "kuandoconnector-config-log: logged in")
                // Console entries read `<script> <line>:<column> "<text>"`; every connector text starts with its prefix.
                let texts = lines.compactMap { $0.message.split(separator: "\"", maxSplits: 1).last.map(String.init) }
                let connectorTexts = texts.filter { $0.contains("kuandoconnector") }
                #expect(!connectorTexts.isEmpty)
                #expect(connectorTexts.allSatisfy { $0.hasPrefix("kuandoconnector-config-log: ") || $0.hasPrefix("kuandoconnector-log: ") }, "\(connectorTexts)")
            }
        }
    }
}
