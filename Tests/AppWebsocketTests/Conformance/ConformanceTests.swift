import Testing

@testable import AppWebsocket

/// The decoders against frames as innovaphone's own sources show them (``Fixture``): what a real
/// PBX and a real myApps send must decode, captured logins must be told apart as the PBX or a
/// user, and captured digests must verify over `info` exactly as it arrived.
@Suite struct ConformanceTests {
    @Test("every quoted frame parses", arguments: Fixture.all)
    func parses(_ fixture: Fixture) throws {
        let frame = try Frame(parsing: fixture.text)
        #expect(frame.text == fixture.text)
    }

    @Test("every frame the service or the simulator consumes decodes as its typed message", arguments: Fixture.all)
    func decodes(_ fixture: Fixture) throws {
        let frame = try Frame(parsing: fixture.text)
        let base = frame.api.map { String($0.prefix { $0 != "." }) }
        switch (fixture.direction, base, frame.mt) {
        case (_, nil, AppLogin.messageType):
            let login = try frame.decode(AppLogin.self)
            #expect(!login.app.isEmpty && !login.digest.isEmpty)
            #expect(login.infoText == frame.rawText(of: "info"))
        case (.pbxToService, nil, AppChallenge.messageType):
            _ = try frame.decode(AppChallenge.self)
        case (.serviceToPBX, nil, AppChallengeResult.messageType):
            // 16 hex characters, not digits only: the challenge is text.
            #expect(try frame.decode(AppChallengeResult.self).challenge == "577fb2b83962c53a")
        case (.serviceToPBX, nil, AppLoginResult.messageType):
            #expect(try frame.decode(AppLoginResult.self).ok)
        case (.pbxToService, RCC.api?, RCC.CallInfo.messageType):
            let info = try frame.decode(RCC.CallInfo.self)
            #expect(info.user == 1 && info.call == 2)
            #expect(info.state == 6 && info.msg == "r-disc")
            #expect(info.peer?.e164 == "444" && info.peer?.h323 == "")
            #expect(info.info == [RCC.CallInfoItem(type: "cause", vali: 1, vals: "Unallocated (unassigned) number")])
        case (.pbxToService, PbxTableUsers.api?, _):
            let change = try #require(try PbxTableUsers.RowChange(frame: frame))
            #expect(change.kind == .update)
            #expect(change.user.guid.count == 32 && !change.user.h323.isEmpty && !change.user.cn.isEmpty)
        case (.pbxToService, PbxApi.api?, PbxApi.SubscribePresenceResult.messageType):
            #expect(try frame.decode(PbxApi.SubscribePresenceResult.self).error == nil)
        case (.pbxToService, PbxApi.api?, PbxApi.DelAlienCallResult.messageType):
            #expect(try frame.decode(PbxApi.DelAlienCallResult.self).error == nil)
        case (.pbxToService, PbxApi.api?, "UnsubscribePresenceResult"):
            // The service never unsubscribes; the frame is a result nobody waits for, and is ignored.
            #expect(frame.src == nil)
        case (.myAppsToApp, nil, let mt) where PhoneInfo.CallEvent.Kind(rawValue: mt) != nil:
            let event = try #require(PhoneInfo.CallEvent(message: frame.object))
            #expect(event.id == "1")
            if event.kind == .updated { #expect(event.dir == "i" && event.state == "Connected") }
        case (.appToMyApps, nil, "CallInfo"):
            // The phone API's CallInfo shares only its `mt` with RCC's: without `api` it is not RCC,
            // and it is no phoneinfo event either.
            #expect(frame.api == nil)
            #expect(PhoneInfo.CallEvent(message: frame.object) == nil)
            #expect(throws: FrameError.self) { try frame.decode(RCC.CallInfo.self) }
        case (.myAppsToApp, nil, "PresenceUpdated"):
            // The client API's presence: items with displayNote and a numeric params.until.
            let items = FieldReader(frame).looseObjects("presence").map { PbxApi.Presence(FieldReader($0, context: frame.mt)) }
            #expect(items.map(\.contact) == ["calendar:", "im:"])
            #expect(items[0].params?["until"] == .number("1524733200000"))
        default:
            Issue.record("no check for \(fixture.direction) \(frame.api ?? "-") \(frame.mt): add one")
        }
    }

    @Test("each captured login is classified as the PBX or a user", arguments: Fixture.all.filter { $0.login != nil })
    func classifiesLogins(_ fixture: Fixture) throws {
        let login = try Frame(parsing: fixture.text).decode(AppLogin.self)
        #expect(login.isAppObjectLogin == (fixture.login == .pbx))
        if fixture.login == .user, login.info?["pbx"] != nil {
            // A user's login carries `info.pbx` too: it cannot be what tells the PBX apart.
            #expect(login.pbxObj != nil)
        }
    }

    @Test("captured digests verify over info exactly as received", arguments: Fixture.all.filter { $0.digest != nil })
    func digestsVerify(_ fixture: Fixture) throws {
        let secret = try #require(fixture.digest)
        let login = try Frame(parsing: fixture.text).decode(AppLogin.self)
        #expect(LoginDigest.verify(login, challenge: secret.challenge, password: secret.password))
        #expect(!LoginDigest.verify(login, challenge: secret.challenge, password: secret.password + "x"))
        // Re-encoding `info` in another member order breaks the digest: it covers the text as sent.
        if let info = login.info, info.members.count > 1 {
            var reordered = login
            reordered.infoText = JSONObject(info.members.reversed().map { ($0.key, $0.value) }).text
            #expect(!LoginDigest.verify(reordered, challenge: secret.challenge, password: secret.password))
        }
    }
}
