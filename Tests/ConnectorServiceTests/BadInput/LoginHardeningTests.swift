import AppWebsocket
import Foundation
import KuandoSync
import PBXSimulator
import Testing
import TestSupport
@testable import ConnectorService

/// Logins a PBX never makes, and peers that hold many connections: refused with the reason.
@Suite(.serialized) struct LoginHardeningTests {
    /// Signs a login for the config app of a user with the instance password, as the PBX would,
    /// then lets `change` alter it, and sends it on a raw socket; returns the answer.
    static func send(_ change: (inout AppLogin) -> Void, signed info: JSONObject?, dn: String = "Alice", on socket: RawWebSocket) async throws -> Frame {
        try await socket.send(Frame(AppChallenge()).text)
        let challenge = try await socket.next(AppChallengeResult.messageType).decode(AppChallengeResult.self).challenge
        var login = LoginDigest.sign(
            app: AppNames.config, domain: "example.com", sip: "alice", guid: ServiceRig.alice.guid, dn: dn, pbxObj: "kuando-config", info: info,
            challenge: challenge, password: ServiceRig.password)
        change(&login)
        try await socket.send(Frame(login).text)
        return try await socket.next(AppLoginResult.messageType)
    }

    @Test func aLoginWithoutInfoIsRefusedEvenWithTheRightDigest() async throws {
        try await ServiceRig.run { rig in
            try await RawWebSocket.session(port: rig.server.port) { socket in
                let answer = try await Self.send({ _ in }, signed: nil, on: socket)
                #expect(answer.object["ok"] == nil)
                #expect(answer.object["errorText"]?.stringValue?.contains("carries no \"info\"") == true, "\(answer)")
                try await socket.waitForClose()
            }
        }
    }

    /// `info` moved into `dn`: the joined text is the same, so the digest still verifies, and
    /// the licence flags would be gone. The `:` gives it away.
    @Test func aColonInTheLoginFieldsIsRefused() async throws {
        try await ServiceRig.run { rig in
            let info: JSONObject = ["appobj": "kuando-config", "cn": "alice", "unlicensed": true]
            try await RawWebSocket.session(port: rig.server.port) { socket in
                let answer = try await Self.send({ login in
                    login.dn = "Alice:" + (login.infoText ?? "")
                    login.info = nil
                    login.infoText = nil
                }, signed: info, on: socket)
                #expect(answer.object["ok"] == nil)
                #expect(answer.object["errorText"]?.stringValue?.contains("\"dn\" contains \":\"") == true, "\(answer)")
            }
        }
    }

    @Test func oneAddressHoldsOnlySoManyConnectionsThatHaveNotLoggedIn() async throws {
        try await ServiceRig.run(limits: .init(pendingLoginsPerAddress: 2)) { rig in
            try await RawWebSocket.session(port: rig.server.port) { first in
                try await RawWebSocket.session(port: rig.server.port) { second in
                    try await first.send(Frame(AppChallenge()).text)
                    try await second.send(Frame(AppChallenge()).text)
                    _ = try await first.next(AppChallengeResult.messageType)
                    _ = try await second.next(AppChallengeResult.messageType)
                    let close = try await RawWebSocket.session(port: rig.server.port) { third in
                        try await third.send(Frame(AppChallenge()).text)
                        let error = try await third.next("Error")
                        #expect(error.object["errorText"]?.stringValue?.contains("have not logged in yet (at most 2)") == true, "\(error)")
                        try await third.waitForClose()
                    }
                    #expect(close?.closeCode == .policyViolation)
                }
            }
            // Once they are gone, the address may connect again.
            #expect(await eventually { rig.server.endpoint.connections.openConnections(from: "127.0.0.1") <= 1 })
            #expect(try await WebsocketBadInputTests.serviceAnswers(rig.server.port))
        }
    }
}

/// What a user's hidden app may report: bounded, and never a line of its own in a log.
@Suite(.serialized) struct AppLimitTests {
    @Test func phoneCallsAreCappedPerUser() async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("alice", "kuando") { connection in
                var answers: [Frame] = []
                for id in 1...(AppPeer.maximumPhoneCalls + 1) {
                    let call: JSONObject = ["id": .int(id), "dir": "i", "state": "Alerting"]
                    answers.append(try await connection.request(Frame(AppAPI.PhoneCall(event: "CallUpdated", call: call))))
                }
                #expect(answers.dropLast().allSatisfy { $0.object["ok"] == .bool(true) }, "\(answers)")
                #expect(answers.last?.object["error"]?.stringValue?.contains("too many calls at once") == true, "\(String(describing: answers.last))")
                // Ending one makes room.
                _ = try await connection.request(Frame(AppAPI.PhoneCall(event: "CallRemoved", call: ["id": 1])))
                let again = try await connection.request(Frame(AppAPI.PhoneCall(event: "CallAdded", call: ["id": 99])))
                #expect(again.object["ok"] == .bool(true), "\(again)")
            }
        }
    }

    @Test func theRateLimitIsABurstThenAStream() {
        var limit = RateLimit(burst: 3, interval: .milliseconds(100))
        #expect((0..<4).map { _ in limit.take(now: .zero) } == [true, true, true, false])
        #expect(limit.take(now: .milliseconds(50)) == false)
        #expect(limit.take(now: .milliseconds(100)) == true)
        #expect(limit.take(now: .milliseconds(100)) == false)
        #expect((0..<4).map { _ in limit.take(now: .seconds(60)) } == [true, true, true, false], "no more than the burst after a pause")
    }

    @Test func aFloodOfCallEventsIsRateLimited() async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("alice", "kuando") { connection in
                let refusals = EventLog<String>()
                await connection.setDefaultHandler { frame, _ in
                    if let error = frame.object["error"]?.stringValue { refusals.append(error) }
                }
                // Far more than the burst plus what comes back while they are handled.
                for _ in 0..<2_000 {
                    try await connection.send(Frame(AppAPI.PhoneCall(event: "CallUpdated", call: ["id": 1, "state": "Connected"])))
                }
                try await refusals.waitUntil(timeout: .seconds(30)) { $0.contains { $0.contains("too many call events") } }
            }
        }
    }

    @Test func traceLinesCarryControlCharactersAsEscapes() async throws {
        let logs = LogCapture()
        try await ServiceRig.run(serviceLogger: logs.logger) { rig in
            try await rig.withApp("alice", "kuando") { connection in
                let lines = EventLog<String>()
                await connection.setDefaultHandler { frame, _ in
                    if frame.mt == "Trace", let line = frame.object["line"]?.stringValue { lines.append(line) }
                }
                let alice = UserKey(domain: "example.com", guid: ServiceRig.alice.guid)
                // The hidden app listens for traces once it relays.
                #expect(await eventually { await rig.server.registry.relayChannel(for: alice) != nil })
                rig.server.registry.traces.emit(Trace.connector("from a hub\nkuandoconnector-log: forged\u{1B}[2J"), for: alice)
                try await lines.waitUntil { $0.contains { $0.contains("from a hub") } }
                let line = try #require(lines.entries.first { $0.contains("from a hub") })
                #expect(line == #"kuandoconnector-log: from a hub\nkuandoconnector-log: forged\u{1B}[2J"#)
                #expect(!logs.entries.contains { $0.message.contains("\n") })
            }
        }
    }
}
