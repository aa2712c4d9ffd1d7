import AppWebsocket
import Busylight
import ConnectorService
import Foundation
import KuandoSync
import TestSupport
import Testing

extension PageTests {
    /// The pages against the real service, the PBX simulator and open hubs with simulated lamps.
    @Suite struct EndToEnd {
        @Test func theConfigAppShowsTheDefaultsAndSavesAColourToTheStore() async throws {
            try await EndToEndRig.run { rig in
                try await Browser.withSession { browser in
                    try await browser.navigate(to: rig.standinURL())
                    try await browser.enterFrame(try await browser.find("#config"))
                    try await browser.waitFor("the config app loaded the settings", #"return document.body.dataset.loaded === "true""#)
                    try await browser.waitForText("#connection", contains: "Connected")
                    #expect(try await browser.value("#hubUrl") == UserConfig.defaults.hubUrl)
                    #expect(try await browser.value(#"[data-field="lamp.away.color"]"#) == UserConfig.defaults.appearance(.away).color.hex.lowercased())
                    #expect(try await browser.execute(#"return document.getElementById("licence").hidden"#, as: Bool.self))

                    try await browser.setValue(#"[data-field="lamp.busy.color"]"#, "#12ab34")
                    try await browser.setValue(#"[data-field="lamp.busy.effect"]"#, "pulse")
                    try await browser.click("#save")
                    try await browser.waitForText("#saveResult", contains: "Saved.")
                    let stored = try #require(try await rig.storedConfig())
                    #expect(stored.appearance(.busy).color == LampColor(hex: "#12AB34"))
                    #expect(stored.appearance(.busy).effect == .pulse)
                    #expect(stored.appearance(.away) == UserConfig.defaults.appearance(.away))
                }
            }
        }

        /// As inside myApps: each app says `Alive` when it loads, asks for its login under the
        /// name of its App object (which the admin chose, here not the page's name), and takes a
        /// reply by its `src`, or by its `pbxObj` when myApps (13r1) sends no `src`.
        @Test(arguments: [nil, "13r1"])
        func theAppsLogInUnderTheirAppObjectsNamesAsMyAppsDoes(myapps: String?) async throws {
            try await EndToEndRig.run { rig in
                try await Browser.withSession { browser in
                    try await browser.navigate(to: rig.standinURL(myapps: myapps))
                    try await browser.waitFor("both apps said Alive", #"return document.body.dataset.alive === "config hidden""#)
                    try await browser.enterFrame(try await browser.find("#config"))
                    try await browser.waitForText("#connection", contains: "Connected")
                    try await eventually("the hidden app logged in") { rig.standinLogins.all.contains("kuando") }
                    let asked = Set(rig.standinLogins.all)
                    #expect(asked == ["kuando", "kuando-config"], "the apps asked for \(asked)")
                    try await eventually("the hidden app relays for alice") { await rig.server.registry.relayChannel(for: EndToEndRig.aliceKey) != nil }
                }
            }
        }

        @Test func testLampChangesTheSimulatedLamp() async throws {
            try await EndToEndRig.run { rig in
                let hubUrl = "http://hub.test:\(rig.hubPort)/"
                try await rig.useHub(hubUrl)
                try await Browser.withSession { browser in
                    try await browser.navigate(to: rig.standinURL())
                    try await browser.enterFrame(try await browser.find("#config"))
                    try await browser.waitFor("the config app loaded the settings", #"return document.body.dataset.loaded === "true""#)
                    #expect(try await browser.value("#hubUrl") == hubUrl)
                    try await browser.setValue(#"[data-field="lamp.dnd.color"]"#, "#00ff00")
                    try await browser.click(#"[data-test-lamp="dnd"]"#)
                    try await browser.waitForText(#"[data-problem="lamp.dnd"]"#, contains: "Shown on the lamp")
                    _ = try await rig.lamp.waitUntil(timeout: .seconds(10)) { $0.color == .green }
                }
            }
        }

        @Test func testConnectionReportsAWrongTokenAsTheServiceSaysIt() async throws {
            try await EndToEndRig.run { rig in
                let hubUrl = "http://hub.test:\(rig.guardedHubPort)/"
                // What the service answers, asked without the page.
                let serviceSays = try await rig.asConfigApp(Frame(AppAPI.TestHub(hubUrl: hubUrl, hubToken: "wrong-token")))
                #expect(serviceSays.object["tokenAccepted"]?.boolValue == false)
                let error = try #require(serviceSays.object["error"]?.stringValue)
                try await Browser.withSession { browser in
                    try await browser.navigate(to: rig.standinURL())
                    try await browser.enterFrame(try await browser.find("#config"))
                    try await browser.waitFor("the config app loaded the settings", #"return document.body.dataset.loaded === "true""#)
                    try await browser.retype("#hubUrl", hubUrl)
                    try await browser.retype("#hubToken", "wrong-token")
                    try await browser.click("#testHub")
                    try await browser.waitForText(#"[data-result="resultToken"]"#, contains: "refused")
                    #expect(try await browser.waitForText(#"[data-result="resultError"]"#, contains: error) == error)

                    try await browser.retype("#hubToken", EndToEndRig.hubToken)
                    try await browser.click("#testHub")
                    try await browser.waitForText(#"[data-result="resultToken"]"#, contains: "accepted")
                    #expect(try await browser.execute(#"return document.getElementById("testHubResult").dataset.ok"#, as: String.self) == "true")
                }
                #expect(try await rig.storedConfig()?.hubToken ?? "" == "", "testing must not save the token")
            }
        }

        @Test func theHiddenAppRelaysToTheHubOnLocalhostAndAPBXCallShowsOnTheLamp() async throws {
            try await EndToEndRig.run { rig in
                try await rig.useHub("http://localhost:\(rig.hubPort)/")
                try await Browser.withSession { browser in
                    try await browser.navigate(to: rig.standinURL())
                    try await browser.enterFrame(try await browser.find("#config"))
                    do {
                        try await browser.waitFor(
                            "the status panel says the hub is reached through myApps", timeout: .seconds(20),
                            #"return document.getElementById("statusHubLink").textContent === "reachable, through myApps on this PC""#)
                    } catch {
                        let panel = try await browser.execute(#"return document.getElementById("status").innerText"#, as: String.self)
                        try await browser.leaveFrame()
                        let log = try await browser.browserLog().map(\.message).joined(separator: "\n")
                        Issue.record("status panel: \(panel)\nconsole:\n\(log)")
                        throw error
                    }

                    let call = try await rig.pbx.startIncomingCall(to: "alice", from: "0301234", name: "Caller")
                    _ = try await rig.lamp.waitUntil(timeout: .seconds(10)) { $0.color == .red }
                    try await browser.waitForText("#statusCalls", contains: "incoming")
                    try await rig.pbx.hangUp(call)
                    _ = try await rig.lamp.waitUntil(timeout: .seconds(10)) { $0.color != .red }
                }
            }
        }
    }
}
