import AsyncHTTPClient
import Busylight
import Foundation
import KuandoHub
import KuandoSync
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// The client against the open hub, over HTTP on 127.0.0.1.
@Suite struct OpenHubTests {
    private let teamsBusy = LampAppearance(color: .red)
    private let manualAway = LampAppearance(color: .yellow)
    private let red = BusylightColor(red: 100, green: 0, blue: 0)
    private let yellow = BusylightColor(red: 100, green: 71, blue: 0)

    private func hub(_ lamps: [RecordingLamp] = [RecordingLamp()], file: HubRegistryFile? = nil) throws -> OpenHub {
        try OpenHub(inventory: FixedLamps(lamps), registryFile: file, logger: quietLogger)
    }

    @Test func registeringTwiceLeavesOneSourceAndOnePriorityLine() async throws {
        let hub = try hub()
        try await withOpenHub(hub) { url in
            try await withClient(url, source: "MS Teams") { client, _ in
                try await client.register()
                try await client.register()
            }
        }
        let registry = await hub.board.registry
        #expect(registry.dataSources.filter { $0.name == "MS Teams" }.count == 1)
        #expect(registry.priorities.map(\.sender) == ["kuando TIMER", "Manual Controls", "MS Teams", "HTTP"])
    }

    @Test func teamsAboveManualChangerWinsAndReleasingItFallsBack() async throws {
        let lamps = [RecordingLamp(path: "/dev/hidraw0"), RecordingLamp(path: "/dev/hidraw1")]
        let hub = try hub(lamps)
        try await withOpenHub(hub) { url in
            try await withClient(url, source: "MS Teams") { teams, _ in
                try await withClient(url, source: "Manual Changer") { manual, _ in
                    try await teams.register()
                    try await manual.register()
                    try await manual.show(.away, manualAway)
                    #expect(try await manual.currentPresence().sender == "Manual Changer")
                    try await teams.show(.busy, teamsBusy)
                    #expect(try await manual.currentPresence() == HubWinner(sender: "MS Teams", eventType: "Presence", eventName: "Busy"))
                    for lamp in lamps { #expect(await lamp.last == .solid(red)) }

                    // Manual Changer changing its state does not beat Teams.
                    try await manual.show(.dnd, LampAppearance(color: .purple))
                    #expect(try await manual.currentPresence().sender == "MS Teams")

                    try await teams.release()
                    #expect(try await teams.currentPresence() == HubWinner(sender: "Manual Changer", eventType: "Presence", eventName: "DND"))
                    for lamp in lamps { #expect(await lamp.last == .solid(BusylightColor(red: 63, green: 0, blue: 100))) }

                    try await manual.release()
                    #expect(try await manual.currentPresence().isNone)
                    for lamp in lamps { #expect(await lamp.last == .off) }
                }
            }
        }
    }

    @Test func ourOwnStateComesBackWithOurDataSourceName() async throws {
        try await withOpenHub(try hub()) { url in
            try await withClient(url, source: SyncEngine.defaultDataSourceName) { client, _ in
                try await client.show(.ringing, LampAppearance(color: .green, effect: .blink, onTime: 3, offTime: 3))
                let running = try await client.runningCommand()
                #expect(running.sender == SyncEngine.defaultDataSourceName)
                #expect(running.winner == HubWinner(sender: SyncEngine.defaultDataSourceName, eventType: "Call", eventName: "Ringing"))
                #expect(running.action == "Blink")
                #expect(running.color == BusylightColor(red: 0, green: 100, blue: 0))
                #expect(LampState(hubEventType: running.eventType, hubEventName: running.eventName) == .ringing)
            }
        }
    }

    @Test func aRemotePeerNeedsTheToken() async throws {
        // Every peer counts as remote here, so the 127.0.0.1 client stands in for another machine.
        let access = OpenHubAccess(token: "s3cret") { _ in false }
        try await withOpenHub(try hub(), access: access) { url in
            try await withClient(url, source: "SDK") { client, transport in
                await #expect(throws: HubError.unauthorized(url: url)) { try await client.probe() }
                await #expect(throws: HubError.unauthorized(url: url)) { try await client.register() }
                let wrong = HubClient(configuration: .init(baseURL: url, token: "guess"), transport: transport, logger: quietLogger)
                await #expect(throws: HubError.unauthorized(url: url)) { try await wrong.probe() }
                let header = HubClient(configuration: .init(baseURL: url, token: "s3cret"), transport: transport, logger: quietLogger)
                try await header.probe()
                #expect(try await header.devices().count == 1)
                let query = try await transport.send(HubHTTPRequest(method: .get, baseURL: url, query: "action=currentpresence&accesstoken=s3cret"))
                #expect(query.status == 200)
            }
        }
    }

    @Test func aLoopbackPeerNeedsNoToken() async throws {
        try await withOpenHub(try hub(), access: OpenHubAccess(token: "s3cret")) { url in
            try await withClient(url, source: "SDK") { client, _ in
                try await client.probe()
            }
        }
    }

    @Test func lampCommandsAnswer404WithoutALampAndChangeNothing() async throws {
        let hub = try hub([])
        try await withOpenHub(hub) { url in
            try await withClient(url, source: "SDK") { client, transport in
                await #expect(throws: HubError.noBusylight(url: url)) { try await client.show(.busy, teamsBusy) }
                for query in ["action=light&red=100", "action=blink&red=100&green=40&ontime=7&offtime=7", "action=pulse&red=100",
                              "action=alert&red=100&sound=3&volume=25", "action=kuandoTimer&command=start"] {
                    let reply = try await transport.send(HubHTTPRequest(method: .get, baseURL: url, query: query))
                    #expect(reply.status == 404, "\(query)")
                }
                #expect(try await client.devices().isEmpty)
                #expect(try await client.currentPresence().isNone)
                try await client.release()
            }
        }
        #expect(await hub.board.claims.isEmpty)
    }

    @Test func aCommandForAnUnknownLampPathIs404() async throws {
        try await withOpenHub(try hub()) { url in
            try await withClient(url, source: "SDK") { _, transport in
                let query = HubRequest(.light(red), path: "/dev/hidraw9").getQuery
                let reply = try await transport.send(HubHTTPRequest(method: .get, baseURL: url, query: query))
                #expect(reply.status == 404)
            }
        }
    }

    @Test func malformedRequestsAreRejectedWith400AndLeaveTheHubAsItWas() async throws {
        let hub = try hub()
        try await withOpenHub(hub) { url in
            try await withClient(url, source: "MS Teams") { client, transport in
                try await client.show(.busy, teamsBusy)
                let before = await hub.board
                let bad: [HubHTTPRequest] = [
                    HubHTTPRequest(method: .get, baseURL: url, query: "action=light&red=abc"),
                    HubHTTPRequest(method: .get, baseURL: url, query: "action=teleport"),
                    HubHTTPRequest(method: .get, baseURL: url, query: "red=100"),
                    HubHTTPRequest(method: .post, baseURL: url, body: Data("not json".utf8)),
                    HubHTTPRequest(method: .post, baseURL: url, body: Data(#"{"action":"Light","parameter":"{}"}"#.utf8)),
                    HubHTTPRequest(method: .post, baseURL: url, body: Data(#"{"action":"Off","sender":"MS Teams","parameter":"{oops"}"#.utf8)),
                    HubHTTPRequest(method: .post, baseURL: url, body: Data(#"{"action":"RegisterDataSource","parameter":"{\"DataSourceName\":\"\"}"}"#.utf8)),
                ]
                for request in bad {
                    let reply = try await transport.send(request)
                    #expect(reply.status == 400, "\(request)")
                    #expect(HubReply.errorMessage(in: reply.body)?.isEmpty == false, "\(request)")
                }
                #expect(await hub.board == before)
                #expect(try await client.currentPresence().sender == "MS Teams")
            }
        }
    }

    @Test func logoutOnShutdownClearsEverythingTheClientAsked() async throws {
        let lamp = RecordingLamp()
        let hub = try hub([lamp])
        try await withOpenHub(hub) { url in
            try await withClient(url, source: SyncEngine.defaultDataSourceName) { client, _ in
                try await client.show(.onthephone, teamsBusy)
                #expect(await lamp.last == .solid(red))
                try await client.logout()
                #expect(try await client.currentPresence().isNone)
            }
        }
        #expect(await hub.board.claims.isEmpty)
        #expect(await lamp.last == .off)
    }

    @Test func sourcesAndPrioritiesSurviveARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-hub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = HubRegistryFile(path: directory.appendingPathComponent("hub.json").path)

        try await withOpenHub(try hub(file: file)) { url in
            try await withClient(url, source: "MS Teams") { client, _ in try await client.register() }
            try await withClient(url, source: "Zoom") { client, _ in try await client.register() }
        }
        let restarted = try hub(file: file)
        try await withOpenHub(restarted) { url in
            try await withClient(url, source: "Zoom") { zoom, _ in
                try await withClient(url, source: "MS Teams") { teams, _ in
                    // The priority line from before the restart still ranks Teams above Zoom.
                    try await zoom.show(.onthephone, manualAway)
                    try await teams.show(.busy, teamsBusy)
                    #expect(try await zoom.currentPresence().sender == "MS Teams")
                }
            }
        }
        let registry = await restarted.board.registry
        #expect(registry.priorities.map(\.sender) == ["kuando TIMER", "Manual Controls", "MS Teams", "Zoom", "HTTP"])
        #expect(registry.dataSources.map(\.name).contains("Zoom"))
    }

    @Test func answersTheProbeAndTheStatusDocument() async throws {
        try await withOpenHub(try hub()) { url in
            try await withClient(url, source: "SDK") { client, transport in
                try await client.probe()
                let probe = try await transport.send(HubHTTPRequest(method: .get, baseURL: url))
                #expect(HubJSON(parsing: probe.body) == ["response": "OK"])
                let status = try await transport.send(HubHTTPRequest(method: .get, baseURL: url + "status.json"))
                #expect(status.status == 200)
                #expect(HubJSON(parsing: status.body)?["lamps"] != nil)
            }
        }
    }
}

@Suite struct OpenHubBrowserTests {
    /// Sends one request to the hub with `headers`; returns the answer.
    static func send(
        _ url: String, method: HTTPMethod = .GET, headers: [(String, String)], body: String? = nil
    ) async throws -> HTTPClientResponse {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        return try await withCleanup {
            try await client.execute(request, timeout: .seconds(5))
        } cleanup: {
            try await client.shutdown()
        }
    }

    @Test func anAllowedPageMayCallTheHubIncludingThePreflight() async throws {
        let hub = try OpenHub(inventory: FixedLamps([RecordingLamp()]), logger: quietLogger)
        try await withOpenHub(hub, access: OpenHubAccess(token: "s3cret") { _ in false }, origins: ["https://apps.example.com:8080"]) { url in
            let preflight = try await Self.send(url, method: .OPTIONS, headers: [
                ("Origin", "https://apps.example.com:8080"), ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "http_token, content-type"), ("Access-Control-Request-Private-Network", "true"),
            ])
            #expect(preflight.status.code == 204)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == ["https://apps.example.com:8080"])
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers")?.contains("http_token") == true)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods")?.contains("POST") == true)
            #expect(preflight.headers["Access-Control-Allow-Private-Network"] == ["true"])

            // The token is still needed from another machine, and the refusal is readable by the page.
            let denied = try await Self.send(url + "?action=currentpresence", headers: [("Origin", "https://apps.example.com:8080")])
            #expect(denied.status.code == 401)
            #expect(denied.headers["Access-Control-Allow-Origin"] == ["https://apps.example.com:8080"])
        }
    }

    @Test func anotherPageGetsNoAnswerItCanReadAndChangesNothing() async throws {
        let lamp = RecordingLamp()
        let hub = try OpenHub(inventory: FixedLamps([lamp]), logger: quietLogger)
        try await withOpenHub(hub, origins: ["https://apps.example.com"]) { url in
            let read = try await Self.send(url + "status.json", headers: [("Origin", "https://evil.example")])
            #expect(read.status.code == 403)
            #expect(read.headers["Access-Control-Allow-Origin"].isEmpty)
            let preflight = try await Self.send(url, method: .OPTIONS, headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
            #expect(preflight.status.code == 403)
            // An <img> or a form from another site: no Origin on a GET, but Sec-Fetch-Site says where it comes from.
            let image = try await Self.send(url + "?action=alert&sound=3&volume=100", headers: [("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "no-cors")])
            #expect(image.status.code == 403)
            let form = try await Self.send(
                url, method: .POST, headers: [("Origin", "https://evil.example"), ("Content-Type", "text/plain")],
                body: #"{"action":"Light","sender":"Evil","eventType":"Call","eventName":"On-The-Phone","parameter":{"color":{"red":100}}}"#)
            #expect(form.status.code == 403)
            #expect(await hub.status().json.jsonText.contains("Evil") == false)
            // Outside a browser (the service, a script) nothing changes: no Origin, no Sec-Fetch-Site.
            let script = try await Self.send(url + "?action=currentpresence", headers: [])
            #expect(script.status.code == 200)
            // A link to the status page from another site still opens it.
            let link = try await Self.send(url + "status", headers: [("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "navigate")])
            #expect(link.status.code == 200)
        }
    }

    @Test func aRequestNamingAnotherHostIsRefusedAgainstDNSRebinding() async throws {
        let hub = try OpenHub(inventory: FixedLamps([RecordingLamp()]), logger: quietLogger)
        try await withOpenHub(hub, hostNames: ["busylight-pc.office"]) { url in
            let port = try #require(URLComponents(string: url)?.port)
            let rebound = try await Self.send(url + "?action=currentpresence", headers: [("Host", "evil.example:\(port)")])
            #expect(rebound.status.code == 421)
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "busylight-pc.office:\(port)", "BUSYLIGHT-PC.office"] {
                let answer = try await Self.send(url + "?action=currentpresence", headers: [("Host", host)])
                #expect(answer.status.code == 200, "\(host)")
            }
        }
    }

    @Test func theRegistryAndTheStatesStayBounded() async throws {
        let hub = try OpenHub(inventory: FixedLamps([RecordingLamp()]), logger: quietLogger)
        var refused: HubHTTPResponse?
        for index in 0...HubPriorityBoard.maximumClaims {
            let body = #"{"action":"Light","sender":"App \#(index)","eventType":"Call","eventName":"Ringing","parameter":{"color":{"red":100}}}"#
            let answer = await hub.handlePOST(body: Data(body.utf8))
            if answer.status != 200 { refused = answer }
        }
        #expect(refused?.status == 429)
        #expect(await hub.status().board.claims.count == HubPriorityBoard.maximumClaims)
        var lastSource: HubHTTPResponse?
        for index in 0...HubPriorityBoard.maximumDataSources {
            let body = #"{"action":"RegisterDataSource","parameter":{"DataSourceName":"Source \#(index)"}}"#
            lastSource = await hub.handlePOST(body: Data(body.utf8))
        }
        #expect(lastSource?.status == 429)
    }

    @Test func theStatusPageIsHTMLThatPollsTheStatusDocument() async throws {
        let hub = try OpenHub(inventory: FixedLamps([RecordingLamp()]), logger: quietLogger)
        try await withOpenHub(hub) { url in
            try await withClient(url, source: "MS Teams") { client, transport in
                try await client.show(.busy, LampAppearance(color: .red))
                let page = try await transport.send(HubHTTPRequest(method: .get, baseURL: url + "status"))
                #expect(String(decoding: page.body, as: UTF8.self).contains("status.json"))
                let status = try await transport.send(HubHTTPRequest(method: .get, baseURL: url + "status.json"))
                let document = try #require(HubJSON(parsing: status.body))
                #expect(document["winner"]?["sender"] == "MS Teams")
                #expect(document["lamps"] == .array([[
                    "path": "/dev/hidraw0", "model": "Busylight Omega", "vendorID": 0x27BB, "productID": 0x3BCD,
                    "effect": "solid", "color": ["red": 100, "green": 0, "blue": 0], "sender": "MS Teams",
                ]]))
            }
        }
    }
}

@Suite struct OpenHubAccessTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("127.8.9.10", true), ("::1", true), ("::ffff:127.0.0.1", true),
        ("10.0.0.5", false), ("192.168.1.20", false), ("fe80::1", false), ("::ffff:10.0.0.5", false),
    ])
    func onlyLoopbackPeersCountAsThisMachine(ip: String, loopback: Bool) throws {
        #expect(OpenHubAccess.isLoopback(try SocketAddress(ipAddress: ip, port: 50000)) == loopback)
    }

    @Test func anUnknownPeerIsRemote() {
        #expect(!OpenHubAccess.isLoopback(nil))
    }

    @Test func remotePeersNeedTheExactToken() throws {
        let remote = try SocketAddress(ipAddress: "10.0.0.5", port: 50000)
        let local = try SocketAddress(ipAddress: "127.0.0.1", port: 50000)
        let access = OpenHubAccess(token: "s3cret")
        #expect(access.allows(peer: remote, presented: "s3cret"))
        #expect(!access.allows(peer: remote, presented: "s3cre"))
        #expect(!access.allows(peer: remote, presented: "s3cret!"))
        #expect(!access.allows(peer: remote, presented: nil))
        #expect(access.allows(peer: local, presented: nil))
        #expect(!OpenHubAccess(token: nil).allows(peer: remote, presented: ""))
    }
}
