import Testing

@testable import AppWebsocket

/// Frames as messy as real PBXs send them: fields the docs do not list, of any type, and fields
/// whose type the docs and real traffic disagree on. What the service acts on is read with its
/// type; nothing else ever rejects a frame.
@Suite struct ToleranceTests {
    /// Members nobody documents, one of each JSON type.
    static let noise = #""x-a":null,"x-b":[1,"two",{}],"x-c":{"d":[]},"x-e":1.5e3,"x-f":true"#

    @Test("RCC CallInfo: conf is a GUID string, info an array or an object, peer parts empty, unknown members ignored")
    func callInfo() throws {
        let guid = "fff79c5bd2115d0109f400903341035b"
        let text = #"{"api":"RCC","mt":"CallInfo","src":"u1","user":3,"call":7,"conf":"\#(guid)","state":133,"time":12,"#
            + #""peer":{"e164":"444","h323":"","dn":"Ann"},"no":[{"type":"diverting","e164":"200"},"junk"],"msg":"x-conn","#
            + #""info":[{"type":"cause","vali":16,"vals":"Normal call clearing"},5],"dtmf":"1","#
            + Self.noise + "}"
        let info = try Frame(parsing: text).decode(RCC.CallInfo.self)
        #expect(info.user == 3 && info.call == 7 && info.conf == guid && info.time == 12)
        #expect(info.state == 133 && info.msg == "x-conn")
        #expect(info.peer?.h323 == "" && info.peer?.e164 == "444")
        #expect(info.no.count == 1)
        #expect(info.info == [RCC.CallInfoItem(type: "cause", vali: 16, vals: "Normal call clearing")])

        // The 14r1 field list says `info` is an object: one item. A numeric conf is kept as text.
        let object = #"{"api":"RCC","mt":"CallInfo","user":3,"call":7,"conf":42,"state":6,"msg":"r-disc","info":{"type":"cause","vali":1}}"#
        let disc = try Frame(parsing: object).decode(RCC.CallInfo.self)
        #expect(disc.conf == "42" && disc.info == [RCC.CallInfoItem(type: "cause", vali: 1)])

        // Unused members of surprising types: still the same call.
        let odd = #"{"api":"RCC","mt":"CallInfo","user":"3","call":7,"conf":{"x":1},"state":389,"time":"soon","peer":"Ann","no":{},"msg":"update","info":"none","del":0}"#
        let held = try Frame(parsing: odd).decode(RCC.CallInfo.self)
        #expect(held.user == 3 && held.conf == nil && held.time == nil && held.peer == nil && held.info.isEmpty)
        #expect(held.state == 389 && held.msg == "update" && held.del == false)
        #expect(try Frame(parsing: #"{"api":"RCC","mt":"CallInfo","user":3,"call":7,"state":6,"msg":"del","del":1}"#).decode(RCC.CallInfo.self).del == true)
    }

    @Test("the fields the service acts on keep their types: a call without a usable handle is refused with the field named")
    func usedFieldsAreTyped() throws {
        let frame = try Frame(parsing: #"{"api":"RCC","mt":"CallInfo","user":3,"call":[7],"state":5,"msg":"x-conn"}"#)
        #expect(throws: FrameError.wrongType(field: "call", expected: "integer", found: "array", messageType: "CallInfo")) {
            try frame.decode(RCC.CallInfo.self)
        }
    }

    @Test("RCC UserInfo and UserInitializeResult with the documented extras and undocumented members")
    func users() throws {
        let userInfo = #"{"api":"RCC","mt":"UserInfo","src":"i","guid":"g1","cn":"Alice","dn":"Alice A","h323":"alice","e164":201,"#
            + #""node":"root","pbx":"master","pseudo":"","regs":[{"hw":"0090333"}],"# + Self.noise + "}"
        let user = try Frame(parsing: userInfo).decode(RCC.UserInfo.self)
        #expect(user.guid == "g1" && user.cn == "Alice" && user.h323 == "alice" && user.e164 == "201")
        let result = #"{"api":"RCC","mt":"UserInitializeResult","src":"2","user":"5","prefixIntl":"00","mobile":{"off":true},"error":"","#
            + Self.noise + "}"
        #expect(try Frame(parsing: result).decode(RCC.UserInitializeResult.self).user == 5)
    }

    @Test("PbxApi PresenceUpdate: items with displayNote and numeric params; string items (the 14r1 schema) are skipped")
    func presence() throws {
        let text = #"{"api":"PbxApi","mt":"PresenceUpdate","src":"presence:g","presence":["tel:",{"contact":"tel:","status":"open","#
            + #""activity":"dnd","note":"focus","displayNote":"focus","params":{"until":1524733200000}},{"contact":"calendar:","activity":"busy","#
            + #""note":"Meeting","params":{"free":""}}],"# + Self.noise + "}"
        let update = try Frame(parsing: text).decode(PbxApi.PresenceUpdate.self)
        #expect(update.presence.count == 2)
        #expect(update.tel?.activity == "dnd" && update.tel?.note == "focus")
        let state = #"{"api":"PbxApi","mt":"PresenceState","up":1,"sip":"alice","num":201,"dn":"Alice","email":null}"#
        let decoded = try Frame(parsing: state).decode(PbxApi.PresenceState.self)
        #expect(decoded.up && decoded.num == "201" && decoded.email == "")
    }

    @Test("PbxInfo, results and the handshake read tolerantly")
    func handshake() throws {
        let info = try Frame(parsing: #"{"mt":"PbxInfo","domain":"d","pbx":"master","pbxDns":null,"apis":["RCC",7,"PbxApi"],"version":13,"build":137656}"#)
            .decode(PbxInfo.self)
        #expect(info.apis == ["RCC", "7", "PbxApi"] && info.build == "137656")
        #expect(try Frame(parsing: #"{"mt":"AppChallengeResult","challenge":1234567890}"#).decode(AppChallengeResult.self).challenge == "1234567890")
        let result = try Frame(parsing: #"{"mt":"AppLoginResult","ok":true,"domain":"d","error":"0","# + Self.noise + "}").decode(AppLoginResult.self)
        #expect(result.ok && result.domain == "d")
        let created = try Frame(parsing: #"{"api":"PbxImpersonation","mt":"CreateApiResult","target":"PbxApi.0","error":{}}"#)
            .decode(PbxImpersonation.CreateApiResult.self)
        #expect(created.target == "PbxApi.0" && created.error == nil)
        let set = try Frame(parsing: #"{"api":"PbxApi.0","mt":"SetPresenceResult","error":"3","errorText":7}"#).decode(PbxApi.SetPresenceResult.self)
        #expect(set.error == 3 && set.errorText == "7" && !set.isSuccess)
    }

    @Test("PbxTableUsers rows as a real PBX sends them")
    func tableUsers() throws {
        let row = #"{"api":"PbxTableUsers","mt":"ReplicateAdd","columns":{"guid":"g","h323":"bob","cn":"Bob","e164":203,"apps-my":"a,b","#
            + #""cds":[{"type":"cfb","src":"<src type=\"do\"/>"}],"forks":[{"delay":30}],"wakeups":[],"# + Self.noise + "}}"
        let change = try #require(try PbxTableUsers.RowChange(frame: Frame(parsing: row)))
        #expect(change.user == PbxTableUsers.User(guid: "g", h323: "bob", cn: "Bob", dn: "", e164: "203"))
    }

    @Test("phoneinfo events: id a number or a string, unknown events none")
    func phoneinfo() {
        #expect(PhoneInfo.CallEvent(event: "CallUpdated", call: ["id": 1, "dir": "o", "state": "Holding", "lastDiverting": "x"])
            == PhoneInfo.CallEvent(kind: .updated, id: "1", dir: "o", state: "Holding"))
        #expect(PhoneInfo.CallEvent(event: "CallAdded", call: ["id": "a1"])?.id == "a1")
        #expect(PhoneInfo.CallEvent(event: "CallInfo", call: ["id": 1]) == nil)
        #expect(PhoneInfo.CallEvent(event: "CallAdded", call: ["guid": "g"]) == nil)
    }

    @Test("AppCheckLogin: the digest over app:domain::::challenge:password; an absent domain is the service's")
    func checkLogin() throws {
        let digest = LoginDigest.compute(app: "kuando", domain: "example.com", info: nil, challenge: "1234", password: "pw")
        #expect(LoginDigest.hashedText(app: "kuando", domain: "example.com", info: nil, challenge: "1234", password: "pw") == "kuando:example.com::::1234:pw")
        let check = try Frame(parsing: #"{"mt":"AppCheckLogin","app":"kuando","challenge":"1234","digest":"\#(digest)","src":"src3"}"#)
            .decode(AppCheckLogin.self)
        #expect(check.verify(password: "pw", serviceDomain: "example.com"))
        #expect(!check.verify(password: "other", serviceDomain: "example.com"))
        #expect(!check.verify(password: "pw", serviceDomain: "elsewhere.com"))
        #expect(Frame(AppCheckLoginResult(ok: true), src: "src3").text == #"{"mt":"AppCheckLoginResult","src":"src3","ok":true}"#)
        #expect(Frame(AppCheckLoginResult(ok: false), src: "src3").text == #"{"mt":"AppCheckLoginResult","src":"src3"}"#)
    }

    @Test("an App object logging in as itself is the PBX; a login naming an App object, or another sip, is a user")
    func whoLogsIn() {
        let pbx = AppLogin(app: "a", domain: "d", sip: "kuando", guid: "g", dn: "K", digest: "x", info: ["appobj": "kuando", "pbx": "master"])
        #expect(pbx.isAppObjectLogin)
        var user = pbx
        user.pbxObj = "kuando"
        #expect(!user.isAppObjectLogin)
        let other = AppLogin(app: "a", domain: "d", sip: "alice", guid: "g", dn: "A", digest: "x", info: ["appobj": "kuando", "pbx": "master"])
        #expect(!other.isAppObjectLogin)
        #expect(!AppLogin(app: "a", domain: "d", sip: "", guid: "", dn: "", digest: "x", info: ["appobj": ""]).isAppObjectLogin)
        #expect(!AppLogin(app: "a", domain: "d", sip: "kuando", guid: "g", dn: "K", digest: "x").isAppObjectLogin)
    }
}
