import AppWebsocket
import Foundation
import KuandoSync
import Logging
import NIOCore
import NIOPosix
import PBXSimulator
import Synchronization
import Testing
import TestSupport
@testable import ConnectorService

/// What arrives at the service's websocket from a peer that is broken or hostile: each gets a
/// clear error or a closed connection, and the service goes on serving everyone else.
@Suite(.serialized) struct WebsocketBadInputTests {
    /// Asks for a challenge and answers it with a login signed with the wrong password.
    static func badLogin(_ socket: RawWebSocket) async throws {
        try await socket.send(Frame(AppChallenge()).text)
        let challenge = try await socket.next(AppChallengeResult.messageType).decode(AppChallengeResult.self).challenge
        let object = PBXSimulatorConfiguration.connectorAppObjects(directory: "http://127.0.0.1/kuando/")[0]
        let login = LoginDigest.sign(
            app: object.app, domain: "example.com", sip: object.sip, guid: object.guid, dn: object.dn, info: ["pbx": "guess"],
            challenge: challenge, password: "guessed-password")
        try await socket.send(Frame(login).text)
    }

    /// Whether a new connection still gets a challenge: the service is alive and well.
    static func serviceAnswers(_ port: Int) async throws -> Bool {
        let answered = AnsweredFlag()
        try await RawWebSocket.session(port: port) { socket in
            try await socket.send(Frame(AppChallenge()).text)
            _ = try await socket.next(AppChallengeResult.messageType)
            answered.set()
        }
        return answered.value
    }

    @Test func framesThatAreNotJSONOrHaveWrongTypesGetAnErrorAndTheConnectionGoesOn() async throws {
        try await ServiceRig.run { rig in
            try await RawWebSocket.session(port: rig.server.port) { socket in
                let garbage = ["hello", "{\"mt\":", "[1,2,3]", #"{"mt":5}"#, #"{"mt":"AppChallenge","src":[1]}"#, #"{"api":7,"mt":"x"}"#, "\u{0}\u{1}"]
                for text in garbage { try await socket.send(text) }
                #expect(await eventually { socket.frames.filter { $0.mt == "Error" }.count == garbage.count }, "\(socket.texts)")
                let errors = socket.frames.filter { $0.mt == "Error" }.compactMap { $0.object["errorText"]?.stringValue }
                #expect(errors[0].contains("not JSON"))
                #expect(errors[2].contains("JSON array; AppWebsocket messages are JSON objects"))
                #expect(errors[3].contains("no \"mt\" string"))
                #expect(errors[4].contains("field \"src\" must be a string"))
                try await socket.send(Frame(AppChallenge()).text)
                _ = try await socket.next(AppChallengeResult.messageType)
                #expect(!socket.closed)
            }
        }
    }

    @Test func wrongTypesInALoginAreRefusedAndTheSocketClosed() async throws {
        try await ServiceRig.run { rig in
            let close = try await RawWebSocket.session(port: rig.server.port) { socket in
                try await socket.send(Frame(AppChallenge()).text)
                _ = try await socket.next(AppChallengeResult.messageType)
                try await socket.send(#"{"mt":"AppLogin","app":7,"domain":"example.com","sip":"x","guid":"g","dn":"d","digest":"00"}"#)
                let result = try await socket.next(AppLoginResult.messageType)
                #expect(result.object["ok"]?.boolValue != true)
                #expect(result.object["errorText"]?.stringValue?.contains("\"app\"") == true, "\(result)")
                try await socket.waitForClose()
            }
            #expect(close?.closeCode == .policyViolation)
            #expect(try await Self.serviceAnswers(rig.server.port))
        }
    }

    @Test func aFrameOverTheProtocolLimitIsRefusedAndTheConnectionClosed() async throws {
        try await ServiceRig.run { rig in
            let close = try await RawWebSocket.session(port: rig.server.port) { socket in
                try await socket.send(#"{"mt":"AppChallenge","pad":""# + String(repeating: "x", count: 70_000) + #""}"#)
                let error = try await socket.next("Error")
                #expect(error.object["errorText"]?.stringValue?.contains("limited to 65535 characters") == true)
                try await socket.waitForClose()
            }
            #expect(close?.closeCode == .messageTooLarge)
            #expect(try await Self.serviceAnswers(rig.server.port))
        }
    }

    @Test func aFrameBeyondTheWebsocketLimitClosesTheSocketAndTheServiceGoesOn() async throws {
        try await ServiceRig.run { rig in
            try await RawWebSocket.session(port: rig.server.port) { socket in
                try await socket.send(String(repeating: "y", count: WebSocketTransport.transportFrameBytes + 1))
                try await socket.waitForClose()
                #expect(socket.frames.allSatisfy { $0.mt == "Error" })
            }
            #expect(try await Self.serviceAnswers(rig.server.port))
            #expect(await rig.pbx.state.connected, "the PBX link is untouched")
        }
    }

    @Test func aConnectionAskingForChallengeAfterChallengeIsClosed() async throws {
        try await ServiceRig.run(limits: .init(challengesPerConnection: 3)) { rig in
            let close = try await RawWebSocket.session(port: rig.server.port) { socket in
                for _ in 0..<1000 {
                    guard !socket.closed else { break }
                    try? await socket.send(Frame(AppChallenge()).text)
                }
                try await socket.waitForClose()
                #expect(socket.frames.filter { $0.mt == AppChallengeResult.messageType }.count == 3)
            }
            #expect(close?.closeCode == .policyViolation)
            #expect(close?.reason?.contains("more than 3 AppChallenge on one connection") == true, "\(String(describing: close?.reason))")
            #expect(try await Self.serviceAnswers(rig.server.port))
        }
    }

    @Test func aWebsocketThatNeverLogsInIsClosedAtTheLoginDeadline() async throws {
        try await ServiceRig.run(limits: .init(loginDeadline: .seconds(1))) { rig in
            let started = ContinuousClock.now
            let close = try await RawWebSocket.session(port: rig.server.port) { socket in
                // Trickles harmless frames, never a login.
                while !socket.closed, ContinuousClock.now - started < .seconds(10) {
                    try? await socket.send(#"{"mt":"KeepAlive"}"#)
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            let took = ContinuousClock.now - started
            #expect(took >= .seconds(1) && took < .seconds(5), "closed after \(took)")
            #expect(close?.closeCode == .policyViolation)
            #expect(close?.reason?.contains("no login within 1 s") == true, "\(String(describing: close?.reason))")
            #expect(await rig.pbx.state.connected, "the PBX, logged in, is not affected by the deadline")
        }
    }

    @Test func badDigestsAtHighRateAreRefusedPerAddressAndLoggedOnce() async throws {
        let logs = LogCapture()
        let limits = ConnectorEndpoint.Limits(loginThrottle: LoginThrottle(capacity: 3, refillInterval: .seconds(60)))
        try await ServiceRig.run(limits: limits, serviceLogger: logs.logger) { rig in
            for _ in 0..<3 {
                try await RawWebSocket.session(port: rig.server.port) { socket in
                    try await Self.badLogin(socket)
                    let result = try await socket.next(AppLoginResult.messageType)
                    #expect(result.object["errorText"]?.stringValue?.contains("digest does not match") == true)
                    try await socket.waitForClose()
                }
            }
            for _ in 0..<20 {
                let port = rig.server.port
                let close = try await withTimeout(.seconds(15), "a refused connection closing") {
                    try await RawWebSocket.session(port: port) { socket in
                        try await socket.send(Frame(AppChallenge()).text)
                        try await socket.waitForClose()
                        #expect(socket.frames.map(\.mt) == ["Error"], "a refused address gets no challenge, only the reason")
                    }
                }
                #expect(close?.closeCode == .policyViolation)
                #expect(close?.reason?.contains("too many failed logins from 127.0.0.1: try again in") == true, "\(String(describing: close?.reason))")
            }
            let warnings = logs.entries(atLeast: .warning).filter { $0.message.contains("too many failed logins") }
            #expect(warnings.count == 1, "one line per refusal window, not per try: \(logs.text)")
            #expect(warnings.first?.metadata.contains("127.0.0.1") == true)
            #expect(!logs.text.contains("guessed-password"))
            #expect(await rig.pbx.state.connected, "the PBX logged in before keeps its link")
        }
    }

    @Test func aPeerTricklingItsRequestHeadIsCutOffAtTheDeadline() async throws {
        try await ServiceRig.run(limits: .init(requestHeadDeadline: .seconds(1))) { rig in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: rig.server.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            let started = ContinuousClock.now
            let head = Array("GET /kuando/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: ".utf8)
            let answer = try await channel.executeThenClose { inbound, outbound in
                let trickle = Task {
                    var index = 0
                    // Gives up after 10 s, so a service without the deadline fails the test instead of hanging it.
                    while !Task.isCancelled, ContinuousClock.now - started < .seconds(10) {
                        try await outbound.write(ByteBuffer(bytes: [index < head.count ? head[index] : UInt8(ascii: "a")]))
                        index += 1
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    outbound.finish()
                }
                defer { trickle.cancel() }
                var received = ""
                do {
                    for try await buffer in inbound { received += String(buffer: buffer) }
                } catch let error as IOError where error.errnoCode == ECONNRESET {
                    // The service closed with trickled bytes unread, so the kernel reset the
                    // connection; a reset that overtakes our read of the 408 discards it.
                    return received.isEmpty ? "reset" : received
                }
                return received
            }
            let took = ContinuousClock.now - started
            #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout") || answer == "reset", "\(answer)")
            #expect(took >= .milliseconds(900) && took < .seconds(5), "cut off after \(took)")
            #expect(try await Self.serviceAnswers(rig.server.port))
        }
    }

    @Test func configValuesOutOfRangeAreRefusedAndTheStoreIsUnchanged() async throws {
        try await ServiceRig.run { rig in
            let key = UserKey(domain: "example.com", guid: ServiceRig.alice.guid)
            try await rig.withApp("alice") { connection in
                let saved = try await connection.request(Frame(AppAPI.SetConfig(config: ["pollIntervalMs": 2000])))
                #expect(saved.object["ok"]?.boolValue == true)
            }
            let before = try await rig.server.store.config(for: key)
            let refused: [(JSONValue, String)] = [
                (["pollIntervalMs": 5], "pollIntervalMs"),
                (["pollIntervalMs": 99_999_999], "pollIntervalMs"),
                (["pollIntervalMs": "fast"], "pollIntervalMs"),
                (["hubToken": "has spaces in it"], "hubToken"),
                (["hubToken": .string(String(repeating: "t", count: 300))], "hubToken"),
                (["hubUrl": "ftp://hub.test/"], "hubUrl"),
                (["hubUrl": 42], "hubUrl"),
                (["lamp": ["busy": ["color": "#ZZZZZZ"]]], "lamp"),
                (["lamp": ["busy": ["color": "#FF0000", "volume": 500]]], "lamp"),
                (["lamp": "red"], "lamp"),
                (["noSuchSetting": true], "noSuchSetting"),
                ("just a string", "config"),
            ]
            try await rig.withApp("alice") { connection in
                for (config, field) in refused {
                    // Sent as raw JSON: some of these are no object at all.
                    let answer = try await connection.request(Frame(mt: AppAPI.SetConfig.messageType, fields: ["config": config]))
                    #expect(answer.object["ok"]?.boolValue == false, "\(config) was accepted")
                    let error = answer.object["error"]?.stringValue ?? ""
                    #expect(error.contains(field) || field == "config" && error.contains("config object"), "\(config): \(error)")
                }
            }
            #expect(try await rig.server.store.config(for: key) == before)
        }
    }
}

/// Set once from a test body.
final class AnsweredFlag: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var value: Bool { flag.withLock { $0 } }
}

