import AppWebsocket
import Foundation
import Logging
import PBXSimulator
import Synchronization
import Testing
import TestSupport
@testable import ConnectorService

/// The service against peers as innovaphone's sources show them: who is the PBX, what a user's
/// connection may not do, the PBX Manager's password test, and messages nobody told us about.
@Suite(.serialized) struct RealPeerTests {
    /// An App object logs in as itself (flow B) with the instance password, as a 13r3 PBX does.
    static func logInAsAppObject(_ connection: AppWebsocketConnection, password: String = ServiceRig.password) async throws -> AppLoginResult {
        let object = PBXSimulatorConfiguration.connectorAppObjects(directory: "http://127.0.0.1/kuando/")[0]
        let info: JSONObject = [
            "appobj": .string(object.sip), "appdn": .string(object.dn), "appurl": .string(object.url), "pbx": "master", "cn": .string(object.dn),
            "unlicensed": true, "apps": [],
        ]
        return try await connection.login(keyOrder: AppLogin.pbxKeyOrder) { challenge in
            LoginDigest.sign(app: object.app, domain: "example.com", sip: object.sip, guid: object.guid, dn: object.dn, info: info, challenge: challenge, password: password)
        }
    }

    @Test func anAppObjectsLoginIsThePBXOnlyOncePbxInfoArrives() async throws {
        try await ServiceRig.run { rig in
            await rig.pbx.disconnect()
            #expect(await eventually { !rig.server.registry.pbxLinked })
            try await AppWebsocketConnection.connect(to: "ws://127.0.0.1:\(rig.server.port)/kuando/", configuration: .init(requestTimeout: .seconds(10)), logger: ServiceRig.quiet) { connection in
                #expect(try await Self.logInAsAppObject(connection).ok)
                // Frames before PbxInfo are ignored, and the AppInfo answer shows they were handled in order.
                try await connection.send(Frame(RCC.CallInfo(user: 1, call: 1, state: 0x85, msg: "x-conn")))
                _ = try await connection.request(AppInfo(app: AppNames.hidden))
                #expect(!rig.server.registry.pbxLinked)
                try await connection.send(PbxInfo(domain: "example.com", pbx: "master", apis: ["RCC", "PbxApi"]))
                #expect(await eventually { rig.server.registry.pbxLinked })
                await connection.close()
            }
        }
    }

    @Test func aPbxInfoOnAUsersConnectionIsRefusedAndChangesNothing() async throws {
        let logs = LogCapture()
        try await ServiceRig.run(serviceLogger: logs.logger) { rig in
            await rig.pbx.disconnect()
            #expect(await eventually { !rig.server.registry.pbxLinked })
            try await rig.withApp("alice") { connection in
                try await connection.send(PbxInfo(domain: "example.com", pbx: "master", apis: ["RCC", "PbxApi", "PbxImpersonation"]))
                // Handled in order: once GetConfig is answered, the PbxInfo was dealt with.
                let answer = try await connection.request(Frame(AppAPI.GetConfig()))
                #expect(answer.object["config"] != nil)
                #expect(!rig.server.registry.pbxLinked)
            }
            #expect(logs.entries(atLeast: .warning).contains { $0.message.contains("PbxInfo refused on a user's connection") })
        }
    }

    @Test func aUsersLoginWithInfoPbxGetsItsConfigAndTheHiddenAppRelays() async throws {
        try await ServiceRig.run { rig in
            let login = try await rig.pbx.appLogin(user: "alice", app: "kuando-config", challenge: "0123456789abcdef")
            #expect(login.info["pbx"] != nil && login.pbxObj == "kuando-config" && login.app == AppNames.config)
            try await rig.withApp("alice", "kuando-config") { connection in
                let answer = try await connection.request(Frame(AppAPI.GetConfig()))
                #expect(answer.object["config"]?.objectValue?["hubUrl"] != nil, "\(answer)")
            }
            try await rig.withApp("alice", "kuando") { _ in
                #expect(await eventually { await rig.server.registry.relayChannel(for: UserKey(domain: "example.com", guid: ServiceRig.alice.guid)) != nil })
            }
        }
    }

    @Test func thePBXManagersPasswordTestIsAnsweredBeforeALogin() async throws {
        try await ServiceRig.run { rig in
            try await RawWebSocket.session(port: rig.server.port) { socket in
                let right = LoginDigest.compute(app: "kuando", domain: "example.com", info: nil, challenge: "1234", password: ServiceRig.password)
                try await socket.send(#"{"mt":"AppCheckLogin","app":"kuando","challenge":"1234","digest":"\#(right)","src":"src1"}"#)
                let ok = try await socket.next(AppCheckLoginResult.messageType)
                #expect(ok.src == "src1" && ok.object["ok"] == .bool(true))
                // Without a domain the service's own is meant.
                let wrong = LoginDigest.compute(app: "kuando", domain: "", info: nil, challenge: "1234", password: "not-the-password")
                try await socket.send(#"{"mt":"AppCheckLogin","app":"kuando","challenge":"1234","digest":"\#(wrong)","src":"src2"}"#)
                let refused = try await socket.next(AppCheckLoginResult.messageType, skipping: 1)
                #expect(refused.src == "src2" && refused.object["ok"] == nil)
            }
        }
    }

    @Test func messagesAndAPIsTheServiceDoesNotKnowAreIgnoredQuietly() async throws {
        let logs = LogCapture()
        try await ServiceRig.run(serviceLogger: logs.logger) { rig in
            try await rig.useOpenHub(for: "alice")
            await rig.pbx.send(Frame(mt: "SomethingNew", api: RCC.api, fields: ["x": [1, "y"]]))
            await rig.pbx.send(Frame(mt: "Whatever", api: "PbxNewApi", fields: ["n": nil]))
            await rig.pbx.send(Frame(mt: "CallInfo", fields: ["id": 1, "guid": "g", "html": "<div/>"]))
            // The link goes on: a call still reaches the lamp.
            let call = try await rig.pbx.startIncomingCall(to: "alice", from: "0301234")
            try await rig.pbx.alert(call)
            try await rig.lampShows("ringing (blinking red)") {
                if case .blink(let color, _, _)? = $0.effect { color == .red } else { false }
            }
            let debug = logs.entries.filter { $0.level == .debug && $0.message == "PBX message ignored" }
            #expect(debug.count >= 2, "\(debug)")
            #expect(!logs.entries(atLeast: .warning).contains { $0.message.contains("not understood") })
        }
    }
}
