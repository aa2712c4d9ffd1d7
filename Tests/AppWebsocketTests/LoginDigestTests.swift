import Testing

@testable import AppWebsocket

@Suite struct LoginDigestTests {
    @Test("the three digest vectors of the protocol notes")
    func protocolVectors() {
        #expect(
            LoginDigest.compute(app: "pbxadminapi", info: nil, challenge: "0123456789abcdef", password: "pwd")
                == "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1")
        #expect(
            LoginDigest.compute(app: "pbxadminapi", info: "{}", challenge: "0123456789abcdef", password: "pwd")
                == "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34")
        #expect(
            LoginDigest.compute(app: "pbxadminapi", info: #"{"cn":"Test User"}"#, challenge: "0123456789abcdef", password: "pwd")
                == "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d")
    }

    @Test("a login is verified against info exactly as it arrived: key order, slashes, non-ASCII, even escaped slashes")
    func verifiesRawInfo() throws {
        // Keys not in sorted order, a URL, non-ASCII and an escaped slash (as PHP sends without UNESCAPED_SLASHES).
        let info = #"{"cn":"Jörg Müller","appurl":"http://ap.example.com/kuando/kuando-connector.htm","appobj":"kuando","note":"a\/b"}"#
        let digest = LoginDigest.compute(
            app: "kuando-connector", domain: "example.com", sip: "joerg", guid: "00ff", dn: "Jörg", info: info, challenge: "c0ffee0123456789",
            password: "secret")
        let text = #"{"mt":"AppLogin","app":"kuando-connector","domain":"example.com","sip":"joerg","guid":"00ff","dn":"Jörg","info":"#
            + info + #","digest":""# + digest + #""}"#
        let login = try Frame(parsing: text).decode(AppLogin.self)
        #expect(login.infoText == info)
        #expect(LoginDigest.verify(login, challenge: "c0ffee0123456789", password: "secret"))
        // A re-encoder would produce different text; its digest would not verify.
        #expect(login.info?.text != info)
        var reencoded = login
        reencoded.infoText = login.info?.text
        #expect(!LoginDigest.verify(reencoded, challenge: "c0ffee0123456789", password: "secret"))
    }

    @Test("wrong password, wrong challenge and tampered fields fail verification")
    func refusesWrongInputs() {
        let login = LoginDigest.sign(app: "a", domain: "d", sip: "s", guid: "g", dn: "n", info: ["x": "y"], challenge: "c", password: "p")
        #expect(LoginDigest.verify(login, challenge: "c", password: "p"))
        #expect(!LoginDigest.verify(login, challenge: "c", password: "q"))
        #expect(!LoginDigest.verify(login, challenge: "d", password: "p"))
        var tampered = login
        tampered.sip = "other"
        #expect(!LoginDigest.verify(tampered, challenge: "c", password: "p"))
        var noInfo = login
        noInfo.infoText = nil
        #expect(!LoginDigest.verify(noInfo, challenge: "c", password: "p"))
    }

    @Test("the producing side sends info compact, unescaped and in order, and hashes what it sends")
    func producerHashesWhatItSends() throws {
        let info: JSONObject = ["appurl": "http://127.0.0.1/x/kuando.htm", "cn": "Zoë Ünal", "lics": 3, "testmode": false]
        let login = LoginDigest.sign(app: "kuando", domain: "example.com", sip: "zoe", guid: "1", dn: "Zoë", info: info, challenge: "ch", password: "pw")
        let frame = Frame(login)
        #expect(frame.rawText(of: "info") == #"{"appurl":"http://127.0.0.1/x/kuando.htm","cn":"Zoë Ünal","lics":3,"testmode":false}"#)
        let received = try Frame(parsing: frame.text).decode(AppLogin.self)
        #expect(LoginDigest.verify(received, challenge: "ch", password: "pw"))
    }

    @Test("digests compare in constant time and only equal strings match")
    func constantTimeCompare() {
        #expect(constantTimeEqual("abc", "abc"))
        #expect(!constantTimeEqual("abc", "abd"))
        #expect(!constantTimeEqual("abc", "abcd"))
        #expect(constantTimeEqual("", ""))
    }
}
