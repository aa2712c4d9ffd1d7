import AppWebsocket
import PBXSimulator
import Testing
import TestSupport

/// The simulated PBX against a real websocket listener that checks logins with `ServerLogin`.
@Suite struct SimulatorLoginTests {
    static let users = [
        SimulatedUser(sip: "alice", guid: "a1", dn: "Alice Ärger", cn: "Alice", e164: "201"),
        SimulatedUser(sip: "bob", guid: "b2", dn: "Bob", cn: "Bob", e164: "202", licensed: false),
        SimulatedUser(sip: "carol", guid: "c3", dn: "Carol", cn: "Carol", e164: "203", hasApp: false),
    ]

    /// App objects whose names and URL put `/` and non-ASCII text into the login's `info`.
    static let appObjects = [
        PBXSimulatorConfiguration.AppObject(
            sip: "kuando", dn: "Connector für kuando®", guid: "0a0a", app: "kuando-connector", url: "http://ap.example.com/dom/kuando/kuando-connector.htm"),
        PBXSimulatorConfiguration.AppObject(
            sip: "kuando-config", dn: "Connector für kuando® config", guid: "0b0b", app: "kuando-connector-config",
            url: "http://ap.example.com/dom/kuando/kuando-connector-config.htm"),
    ]

    static func simulator(url: String, password: String, apis: [String] = PBXSimulatorConfiguration.allAPIs) -> PBXSimulator {
        PBXSimulator(
            configuration: PBXSimulatorConfiguration(
                serviceURL: url, password: password, appObjects: appObjects, grantedAPIs: apis, requestTimeout: .seconds(5)),
            users: users
        )
    }

    @Test("flow B: the simulator logs in; info with / and non-ASCII is verified as sent; PbxInfo and AppInfo follow")
    func flowBLogin() async throws {
        let listener = TestListener(password: "instance-pw")
        try await listener.withLinkedPBX({ Self.simulator(url: $0, password: "instance-pw", apis: ["RCC", "PbxApi"]) }) { pbx, _ in
            let state = await pbx.state
            #expect(state.loginResult?.ok == true && state.loginResult?.domain == "example.com")
            #expect(state.appInfoResult?.info == TestListener.appInfo)
            let login = try #require(listener.received.first { $0.mt == "AppLogin" })
            let info = try #require(login.rawText(of: "info"))
            #expect(info.hasPrefix(#"{"appobj":"kuando","appdn":"Connector für kuando®","appurl":"http://ap.example.com/dom/kuando/kuando-connector.htm","pbx":"#))
            let decoded = try login.decode(AppLogin.self)
            #expect(decoded.app == "kuando-connector" && decoded.sip == "kuando" && decoded.domain == "example.com")
            try await listener.log.waitUntil(EventLog.received("PbxInfo"))
            let pbxInfo = try #require(listener.received.first { $0.mt == "PbxInfo" }).decode(PbxInfo.self)
            #expect(pbxInfo.apis == ["RCC", "PbxApi"])
        }
    }

    @Test("wrong password: AppLoginResult without ok, and the service closes the socket")
    func wrongPassword() async throws {
        let listener = TestListener(password: "instance-pw")
        try await listener.run { port in
            let pbx = Self.simulator(url: "ws://127.0.0.1:\(port)/", password: "wrong")
            await pbx.start()
            try await pbx.waitUntil { $0.loginResult != nil && !$0.connected }
            let state = await pbx.state
            #expect(state.loginResult?.ok == false)
            #expect(state.framesFromService.first { $0.mt == "AppLoginResult" }?.object["ok"] == nil)
            #expect(state.appInfoResult == nil)
            #expect(listener.log.entries.contains { if case .event(.loginRefused) = $0 { true } else { false } })
        }
    }

    @Test("a second login on a connection, a replayed login, a login without a challenge and one with a stale challenge are refused")
    func replayRefused() async throws {
        let listener = TestListener(password: "pw")
        try await listener.run { port in
            let captured = EventLog<String>()
            try await RawWebSocket.session(port: port, path: "/") { client in
                try await client.send(#"{"mt":"AppChallenge"}"#)
                let challenge = try await client.next("AppChallengeResult").decode(AppChallengeResult.self).challenge
                let login = Frame(LoginDigest.sign(app: "a", domain: "d", sip: "s", guid: "g", dn: "n", info: ["x": "/"], challenge: challenge, password: "pw"))
                captured.append(login.text)
                try await client.send(login.text)
                #expect(try await client.next("AppLoginResult").decode(AppLoginResult.self).ok)
                // A second login on a logged-in connection is refused; the session stands.
                try await client.send(login.text)
                let second = try await client.next("AppLoginResult", skipping: 2)
                #expect(second.object["ok"] == nil)
                #expect(second.object["errorText"]?.stringValue?.contains("logged in already") == true)
            }
            // The same login on a new connection: no challenge was issued there.
            let close = try await RawWebSocket.session(port: port, path: "/") { client in
                try await client.send(captured.entries[0])
                #expect(try await client.next("AppLoginResult").object["ok"] == nil)
                try await client.waitForClose()
            }
            #expect(close?.closeCode == .policyViolation)
            // A fresh challenge, but the digest made for the old one.
            try await RawWebSocket.session(port: port, path: "/") { client in
                try await client.send(#"{"mt":"AppChallenge"}"#)
                _ = try await client.next("AppChallengeResult")
                try await client.send(captured.entries[0])
                #expect(try await client.next("AppLoginResult").object["ok"] == nil)
                try await client.waitForClose()
            }
        }
    }

    @Test("malformed frames are answered, an oversized one closes the socket, a 1 MB one too; the service lives on")
    func malformedFrames() async throws {
        let listener = TestListener(password: "pw")
        try await listener.run { port in
            try await RawWebSocket.session(port: port, path: "/") { client in
                for text in ["not json", #"{"no":"mt"}"#, #"{"mt":5}"#, #"{"mt":"AppLogin","app":7,"digest":1}"#] {
                    try await client.send(text)
                }
                try await client.received.waitUntil { $0.count >= 4 }
                #expect(client.frames.map(\.mt) == ["Error", "Error", "Error", "AppLoginResult"])
                try await client.waitForClose()
            }
            let oversized = try await RawWebSocket.session(port: port, path: "/") { client in
                try await client.send(#"{"mt":"AppChallenge","f":""# + String(repeating: "x", count: 100_000) + #""}"#)
                try await client.waitForClose()
                #expect(client.frames.first?.object["errorText"]?.stringValue?.contains("65535") == true)
            }
            #expect(oversized?.closeCode == .messageTooLarge)
            try await RawWebSocket.session(port: port, path: "/") { client in
                try await client.send(String(repeating: "y", count: 1 << 20))
                try await client.waitForClose()
            }
            let pbx = Self.simulator(url: "ws://127.0.0.1:\(port)/", password: "pw")
            await pbx.start()
            try await pbx.waitUntil { $0.appInfoResult != nil }
            await pbx.disconnect()
        }
    }

    @Test("flow C: a brokered myApps login logs in as the user, with unlicensed for a user without licence")
    func flowCLogin() async throws {
        let listener = TestListener(password: "pw")
        try await listener.run { port in
            let pbx = Self.simulator(url: "ws://127.0.0.1:\(port)/", password: "pw")
            for user in ["alice", "bob"] {
                try await RawWebSocket.session(port: port, path: "/") { client in
                    try await client.send(#"{"mt":"AppChallenge"}"#)
                    let challenge = try await client.next("AppChallengeResult").decode(AppChallengeResult.self).challenge
                    let brokered = try await pbx.appLogin(user: user, app: "kuando", challenge: challenge)
                    #expect(brokered.app == "kuando-connector" && brokered.pbxObj == "kuando")
                    try await client.send(Frame(brokered.appLogin).text)
                    #expect(try await client.next("AppLoginResult").decode(AppLoginResult.self).ok)
                }
            }
            try await listener.log.waitUntil { $0.filter { if case .login = $0 { true } else { false } }.count == 2 }
            let logins = listener.log.entries.compactMap { if case .login(let login) = $0 { login } else { nil } }
            #expect(logins.map(\.sip) == ["alice", "bob"])
            #expect(logins.map(\.isUnlicensed) == [false, true])
            #expect(logins[0].info?["appurl"] == .string("http://ap.example.com/dom/kuando/kuando-connector.htm"))
        }
    }
}
