import Busylight
import Foundation
import Hummingbird
import KuandoHub
import Logging
import ServiceLifecycle
import Testing

extension PageTests {
    /// The open hub against web pages in a real Chromium: a page of another site (the user
    /// browsing the web while the hub listens on their PC) tries what worked before the guard,
    /// and the page the owner allowed (the Connector's apps) still works.
    @Suite struct HubFromOtherSites {
        /// One blank page, served on one port: `http://127.0.0.1:<port>/` is the allowed origin,
        /// `http://localhost:<port>/` another site.
        static let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>page</title></head><body>page</body></html>"

        /// The open hub (allowing the 127.0.0.1 page), the page server, and a browser.
        func withStage(_ body: @Sendable (_ browser: WebDriver, _ hub: OpenHub, _ lamp: SimulatedLamp, _ hubPort: Int, _ pagePort: Int) async throws -> Void) async throws {
            let quiet = Logger(label: "hub-sites") { _ in SwiftLogNoOpLogHandler() }
            let router = Router()
            router.get("/page.htm") { _, _ in Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: Self.page))) }
            let (pagePorts, pageSink) = AsyncStream.makeStream(of: Int.self)
            let pages = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { pageSink.yield($0.localAddress?.port ?? 0) }, logger: quiet)
            let group = ServiceGroup(configuration: .init(services: [pages], logger: quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var pageIterator = pagePorts.makeAsyncIterator()
                let pagePort = try #require(await pageIterator.next())
                let lamp = SimulatedLamp()
                let hub = try OpenHub(inventory: SimulatedLampInventory(lamps: [lamp]), logger: quiet)
                let (hubPorts, hubSink) = AsyncStream.makeStream(of: Int.self)
                let hubApp = OpenHubServer.buildApplication(
                    hub: hub, configuration: .init(host: "127.0.0.1", port: 0, origins: BrowserOrigins(allowed: ["http://127.0.0.1:\(pagePort)"])), logger: quiet
                ) { hubSink.yield($0) }
                let hubGroup = ServiceGroup(configuration: .init(services: [hubApp], logger: quiet))
                tasks.addTask { try await hubGroup.run() }
                var hubIterator = hubPorts.makeAsyncIterator()
                let hubPort = try #require(await hubIterator.next())
                do {
                    try await Browser.withSession(arguments: ["--host-resolver-rules=MAP rebind.test 127.0.0.1"]) { browser in
                        try await body(browser, hub, lamp, hubPort, pagePort)
                    }
                } catch {
                    await hubGroup.triggerGracefulShutdown()
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await hubGroup.triggerGracefulShutdown()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        @Test func aPageOfAnotherSiteCanNeitherDriveNorReadTheHub() async throws {
            try await withStage { browser, hub, lamp, hubPort, pagePort in
                try await browser.navigate(to: URL(string: "http://localhost:\(pagePort)/page.htm")!)
                let base = "http://127.0.0.1:\(hubPort)/"
                // An image: the alarm, with sound.
                let image = try await browser.execute("""
                    return new Promise((done) => {
                        const img = new Image();
                        img.onload = () => done("loaded"); img.onerror = () => done("error");
                        img.src = arguments[0] + "?action=alert&sound=3&volume=100";
                    });
                    """, [base], as: String.self)
                #expect(image == "error")
                // Reading the status.
                let read = try await browser.execute("""
                    return fetch(arguments[0] + "status.json").then((r) => r.text()).then((t) => "read: " + t, (e) => "blocked: " + e.name);
                    """, [base], as: String.self)
                #expect(read.hasPrefix("blocked"), "\(read)")
                // Claiming a state with a simple (no-cors) POST, as a form could.
                let claim = try await browser.execute("""
                    return fetch(arguments[0], { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" },
                        body: JSON.stringify({ action: "Light", sender: "Evil", eventType: "Call", eventName: "On-The-Phone",
                                               parameter: { color: { red: 100, green: 0, blue: 0 } } }) })
                        .then(() => "sent", (e) => "failed: " + e.name);
                    """, [base], as: String.self)
                #expect(["sent", "failed: TypeError"].contains(claim), "\(claim)")
                let status = await hub.status()
                #expect(status.board.claims.isEmpty, "\(status.board.claims)")
                let shown = await lamp.snapshot()
                #expect(shown.effect == nil || shown.effect == .off, "\(shown)")
            }
        }

        @Test func aRebindingNameIsNotAnsweredAndTheAllowedPageStillWorks() async throws {
            try await withStage { browser, hub, lamp, hubPort, pagePort in
                // The attacker's name now resolves to 127.0.0.1: the page would be same-origin with the hub.
                try await browser.navigate(to: URL(string: "http://rebind.test:\(hubPort)/status")!)
                let shown = try await browser.execute("return document.body.textContent", as: String.self)
                #expect(shown.contains("does not answer to the name rebind.test"), "\(shown)")
                let rebound = try await browser.execute("""
                    return fetch("/status.json").then((r) => r.status + " " + r.statusText, (e) => "blocked: " + e.name);
                    """, as: String.self)
                #expect(rebound.hasPrefix("421"), "\(rebound)")

                // The page the owner allowed reads and drives the hub.
                try await browser.navigate(to: URL(string: "http://127.0.0.1:\(pagePort)/page.htm")!)
                let answer = try await browser.execute("""
                    return fetch(arguments[0] + "?action=light&red=100&green=0&blue=0").then((r) => r.text().then((t) => r.status + " " + t), (e) => "blocked: " + e.name);
                    """, ["http://127.0.0.1:\(hubPort)/"], as: String.self)
                #expect(answer.hasPrefix("200 "), "\(answer)")
                _ = try await lamp.waitUntil(timeout: .seconds(10)) { $0.color == BusylightColor(red: 100, green: 0, blue: 0) }
                #expect(await hub.status().board.claims.map(\.sender) == ["HTTP"])
            }
        }
    }
}
