import Testing
import TestSupport

@testable import AppWebsocket

@Suite struct ConnectionTests {
    /// Runs a connection on an in-memory transport while `body` plays the peer.
    func withConnection(
        role: AppWebsocketConnection.Role = .client, configuration: AppWebsocketConnection.Configuration = .init(),
        _ body: @Sendable (AppWebsocketConnection, MemoryTransport) async throws -> Void
    ) async throws {
        let transport = MemoryTransport()
        let connection = AppWebsocketConnection(transport: transport, role: role, configuration: configuration)
        let running = Task { try await connection.run() }
        try await body(connection, transport)
        transport.finish()
        try await running.value
    }

    @Test("a request is answered by the frame with its src and the Result mt; same-src indications go to the handler")
    func requestMatchesBySrc() async throws {
        try await withConnection { connection, peer in
            let userInfos = EventLog<String>()
            await connection.setHandler(api: "RCC") { frame, _ in userInfos.append(frame.mt) }
            async let answer = connection.request(RCC.Initialize())
            let request = try await peer.waitForSent { $0.mt == "Initialize" }
            let src = try #require(request.src)
            peer.push(#"{"api":"RCC","mt":"InitializeResult","src":"other"}"#)
            peer.push(#"{"api":"RCC","mt":"UserInfo","src":"\#(src)","cn":"alice"}"#)
            peer.push(#"{"api":"RCC","mt":"InitializeResult","src":"\#(src)"}"#)
            let result = try await answer
            #expect(result.mt == "InitializeResult" && result.src == src)
            try await userInfos.waitUntil { $0.count == 2 }
            #expect(userInfos.entries == ["InitializeResult", "UserInfo"])
        }
    }

    @Test("a request without an answer times out with a clear error")
    func requestTimesOut() async throws {
        try await withConnection { connection, _ in
            await #expect(throws: ConnectionError.timeout(waitingFor: "SetPresenceResult", after: .milliseconds(50))) {
                try await connection.request(PbxApi.SetPresence(sip: "a", activity: "busy"), timeout: .milliseconds(50))
            }
        }
    }

    @Test("impersonated APIs (PbxApi.0) reach the PbxApi handler; frames without a route reach the default handler")
    func routing() async throws {
        try await withConnection { connection, peer in
            let seen = EventLog<String>()
            await connection.setHandler(api: "PbxApi") { frame, _ in seen.append("PbxApi:\(frame.api ?? "")") }
            await connection.setDefaultHandler { frame, _ in seen.append("default:\(frame.mt)") }
            peer.push(#"{"api":"PbxApi.0","mt":"AddAlienCallResult","id":1}"#)
            peer.push(#"{"mt":"Custom"}"#)
            peer.push(#"{"mt":"KeepAlive"}"#)
            try await seen.waitUntil { $0.count == 2 }
            #expect(seen.entries == ["PbxApi:PbxApi.0", "default:Custom"])
        }
    }

    @Test("malformed frames are answered with an Error frame and the connection goes on")
    func malformedAnswered() async throws {
        try await withConnection { connection, peer in
            peer.push("not json")
            peer.push(#"{"no":"mt"}"#)
            peer.push(.binary(byteCount: 3))
            try await peer.output.waitUntil { $0.count == 3 }
            let errors = peer.sentFrames
            #expect(errors.map(\.mt) == ["Error", "Error", "Error"])
            #expect(errors[1].object["errorText"]?.stringValue?.contains("\"mt\"") == true)
            #expect(await !connection.closed)
        }
    }

    @Test("an oversized frame is refused with an error naming the limit, then the socket is closed with 1009")
    func oversizedCloses() async throws {
        try await withConnection { connection, peer in
            peer.push(#"{"mt":"X","f":""# + String(repeating: "x", count: 70_000) + #""}"#)
            try await peer.output.waitUntil { $0.contains { if case .closed = $0 { true } else { false } } }
            #expect(peer.sentFrames.first?.object["errorText"]?.stringValue?.contains("65535") == true)
            #expect(peer.output.entries.contains { if case .closed(let reason) = $0 { reason.code == 1009 } else { false } })
            #expect(await connection.closed)
        }
    }

    @Test("closing fails pending requests; sending after close throws")
    func closeFailsPending() async throws {
        try await withConnection { connection, peer in
            let answer = Task { try await connection.request(RCC.Initialize()) }
            _ = try await peer.waitForSent { $0.mt == "Initialize" }
            await connection.close()
            await #expect(throws: ConnectionError.closed) { try await answer.value }
            await #expect(throws: ConnectionError.closed) { try await connection.send(KeepAlive()) }
        }
    }

    @Test("keepAliveIfIdle sends KeepAlive only to a connection idle for the interval, says when to look again, nil once closed")
    func keepAliveIfIdle() async throws {
        try await withConnection { connection, peer in
            try await connection.send(Frame(mt: "Hello"))
            let next = try #require(await connection.keepAliveIfIdle(.seconds(60)))
            #expect(next > .now + .seconds(59) && next <= .now + .seconds(60))
            #expect(peer.sentFrames.map(\.mt) == ["Hello"], "sent just now: no KeepAlive")
            let after = try #require(await connection.keepAliveIfIdle(.zero))
            #expect(peer.sentFrames.map(\.mt) == ["Hello", "KeepAlive"])
            #expect(after <= .now)
            await connection.close()
            #expect(await connection.keepAliveIfIdle(.zero) == nil)
            #expect(peer.sentFrames.count == 2)
        }
    }

    @Test("outgoing frames over the limit are not sent")
    func outgoingLimit() async throws {
        try await withConnection { connection, peer in
            await #expect(throws: FrameError.self) {
                try await connection.send(Frame(mt: "Big", fields: ["f": .string(String(repeating: "x", count: 70_000))]))
            }
            #expect(peer.output.entries.isEmpty)
        }
    }

    @Test("server side: challenge, login with the right digest, AppLoginResult ok with the domain, session key derived")
    func serverLogin() async throws {
        let book = ChallengeBook()
        let logins = EventLog<String>()
        let policy = ServerLogin(challenges: book, passwords: ["pw"], domain: "example.com") { login, _ in logins.append(login.sip) }
        try await withConnection(role: .server(policy)) { connection, peer in
            peer.push(#"{"mt":"AppChallenge","src":"a"}"#)
            let challenge = try await peer.waitForSent { $0.mt == "AppChallengeResult" }
            #expect(challenge.src == "a")
            let value = try challenge.decode(AppChallengeResult.self).challenge
            let login = LoginDigest.sign(app: "kuando", domain: "example.com", sip: "alice", guid: "g", dn: "Alice", info: ["cn": "Alice"], challenge: value, password: "pw")
            peer.push(Frame(login, src: "b").text)
            let result = try await peer.waitForSent { $0.mt == "AppLoginResult" }.decode(AppLoginResult.self)
            #expect(result.ok && result.domain == "example.com")
            try await logins.waitUntil { $0 == ["alice"] }
            #expect(await connection.login?.sip == "alice")
            #expect(await connection.sessionKey == SessionKey(challenge: value, password: "pw"))
        }
    }

    @Test("server side: AppLogin without a challenge is refused and the socket closed")
    func loginWithoutChallenge() async throws {
        let policy = ServerLogin(challenges: ChallengeBook(), passwords: ["pw"])
        try await withConnection(role: .server(policy)) { connection, peer in
            let login = LoginDigest.sign(app: "a", domain: "", sip: "", guid: "", dn: "", info: nil, challenge: "0123456789abcdef", password: "pw")
            peer.push(Frame(login).text)
            let result = try await peer.waitForSent { $0.mt == "AppLoginResult" }
            #expect(result.object["ok"] == nil)
            #expect(result.object["errorText"]?.stringValue?.contains("AppChallenge") == true)
            try await peer.output.waitUntil { $0.contains { if case .closed(let reason) = $0 { reason.code == 1008 } else { false } } }
            #expect(await connection.login == nil)
        }
    }
}
