import Testing
import TestSupport

@testable import AppWebsocket

@Suite struct FrameTests {
    @Test("the envelope is read: mt, api, src; unknown message types are kept as raw JSON")
    func envelope() throws {
        let text = #"{"api":"PbxApi","mt":"SomethingNew","src":"7","payload":{"b":1,"a":[true,null,"x/y"]}}"#
        let frame = try Frame(parsing: text)
        #expect(frame.mt == "SomethingNew")
        #expect(frame.api == "PbxApi")
        #expect(frame.src == "7")
        #expect(frame.text == text)
        #expect(frame.rawText(of: "payload") == #"{"b":1,"a":[true,null,"x/y"]}"#)
        #expect(frame.object.text == text)
    }

    @Test("a member's raw text: as it arrived (the last of a repeated key), or as a built frame sends it")
    func rawMemberText() throws {
        let received = try Frame(parsing: #"{"mt":"X","info":{"a":"é"},"n": 1.50 ,"info":{"b":"ü\/"}}"#)
        #expect(received.rawText(of: "info") == #"{"b":"ü\/"}"#)
        #expect(received.rawText(of: "n") == "1.50")
        #expect(received.rawText(of: "missing") == nil)
        let built = Frame(mt: "X", fields: ["info": ["cn": "Zoë \"Z\""], "n": .number("1.50")])
        #expect(built.rawText(of: "info") == #"{"cn":"Zoë \"Z\""}"#)
        #expect(built.rawText(of: "mt") == #""X""#)
        #expect(built.rawText(of: "missing") == nil)
    }

    @Test("encoding is compact, keeps order, does not escape / or non-ASCII, escapes control characters")
    func encoding() {
        let value: JSONValue = ["z": "a/b", "ä": "Grüße", "ctl": "x\u{1}\n\"\\", "n": .number("-1.5e3")]
        #expect(value.text == #"{"z":"a/b","ä":"Grüße","ctl":"x\u0001\n\"\\","n":-1.5e3}"#)
    }

    @Test("escapes are decoded, including surrogate pairs")
    func escapes() throws {
        let frame = try Frame(parsing: #"{"mt":"X","s":"\u00fc\/\ud83d\ude00\t"}"#)
        #expect(frame.object["s"] == .string("ü/😀\t"))
    }

    @Test(
        "malformed frames give typed errors, never a crash",
        arguments: [
            ("not json", "notJSON"), ("", "notJSON"), ("{", "notJSON"), (#"{"mt":"X",}"#, "notJSON"), ("[1,2]", "notAnObject"),
            ("42", "notAnObject"), (#"{"api":"RCC"}"#, "missingMessageType"), (#"{"mt":5}"#, "missingMessageType"),
            (#"{"mt":"X","api":3}"#, "wrongType"), (#"{"mt":"X","src":{}}"#, "wrongType"), (#"{"mt":"X"} trailing"#, "notJSON"),
            (#"{"mt":"X","s":"\ud800"}"#, "notJSON"), (#"{"mt":"X","s":"\q"}"#, "notJSON"), ("{\"mt\":\"X\",\"s\":\"a\u{1}\"}", "notJSON"),
            (String(repeating: "[", count: 10_000), "notJSON"), (#"{"mt":"X","n":-}"#, "notJSON"), (#"{"mt":"X","n":1.}"#, "notJSON"),
        ])
    func malformed(text: String, kind: String) {
        do {
            _ = try Frame(parsing: text)
            Issue.record("parsed \(text)")
        } catch {
            let name =
                switch error {
                case .notJSON: "notJSON"
                case .notAnObject: "notAnObject"
                case .missingMessageType: "missingMessageType"
                case .wrongType: "wrongType"
                default: "other"
                }
            #expect(name == kind, "\(error)")
        }
    }

    @Test("typed decoding reports the field with the wrong type or missing")
    func wrongFieldTypes() throws {
        let frame = try Frame(parsing: #"{"api":"RCC","mt":"CallInfo","user":"one","call":2,"state":5,"msg":"x-conn"}"#)
        #expect(throws: FrameError.wrongType(field: "user", expected: "integer", found: "string", messageType: "CallInfo")) {
            try frame.decode(RCC.CallInfo.self)
        }
        let missing = try Frame(parsing: #"{"mt":"AppLogin","app":"a"}"#)
        #expect(throws: FrameError.missingField("digest", messageType: "AppLogin")) { try missing.decode(AppLogin.self) }
        #expect(throws: FrameError.unexpectedMessageType(expected: "AppInfo", found: "AppLogin")) { try missing.decode(AppInfo.self) }
        let badInfo = try Frame(parsing: #"{"mt":"AppLogin","digest":"d","info":"text"}"#)
        #expect(throws: FrameError.wrongType(field: "info", expected: "object", found: "string", messageType: "AppLogin")) {
            try badInfo.decode(AppLogin.self)
        }
    }

    @Test("frames over 65535 characters are refused with a clear error; 65535 pass")
    func sizeLimit() throws {
        let filler = { (count: Int) in #"{"mt":"X","f":""# + String(repeating: "a", count: count - 17) + #""}"# }
        #expect(try Frame(parsing: filler(65535)).mt == "X")
        #expect(throws: FrameError.tooLarge(characters: 65536, limit: 65535)) { try Frame(parsing: filler(65536)) }
        let megabyte = filler(1 << 20)
        #expect(throws: FrameError.tooLarge(characters: 1 << 20, limit: 65535)) { try Frame(parsing: megabyte) }
        #expect(FrameError.tooLarge(characters: 70000, limit: 65535).description.contains("65535"))
    }

    @Test("arbitrary byte soup never crashes the parser")
    func byteSoup() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array(#"{}[]":,0123456789-+.eEtrufalsn\ u/"#) + ["ü", "\u{0}", "😀"]
        for _ in 0..<2000 {
            let length = Int(generator.next() % 40)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            _ = try? Frame(parsing: "{\"mt\":\"X\"," + text)
            _ = try? Frame(parsing: text)
        }
    }

    @Test("typed messages round-trip through their frames")
    func roundTrip() throws {
        let update = PbxApi.PresenceUpdate(presence: [PbxApi.Presence(activity: "dnd", note: "focus"), PbxApi.Presence(contact: "im:", activity: "")])
        let frame = Frame(update, src: "9")
        #expect(frame.text == #"{"api":"PbxApi","mt":"PresenceUpdate","src":"9","presence":[{"contact":"tel:","status":"open","activity":"dnd","note":"focus"},{"contact":"im:","status":"open","activity":"","note":""}]}"#)
        #expect(try Frame(parsing: frame.text).decode(PbxApi.PresenceUpdate.self) == update)
        let pbxInfo = PbxInfo(domain: "example.com", pbx: "pbx", apis: ["RCC", "PbxApi"])
        #expect(try Frame(parsing: Frame(pbxInfo).text).decode(PbxInfo.self) == pbxInfo)
        let start = PbxTableUsers.ReplicateStart(columns: ["guid", "h323", "cn"], pseudo: [""])
        #expect(try Frame(parsing: Frame(start).text).decode(PbxTableUsers.ReplicateStart.self) == start)
        let change = try #require(try PbxTableUsers.RowChange(frame: Frame(parsing: #"{"api":"PbxTableUsers","mt":"ReplicateDel","columns":{"guid":"g","h323":"bob"}}"#)))
        #expect(change.kind == .del && change.user.h323 == "bob")
    }
}
