import Testing

@testable import AppWebsocket

@Suite struct SessionKeyTests {
    @Test("session key is sha256 of innovaphoneAppSessionKey:challenge:password")
    func sessionKey() {
        let key = SessionKey(challenge: "0123456789abcdef", password: "pwd")
        // Computed independently (Python hashlib) from "innovaphoneAppSessionKey:0123456789abcdef:pwd".
        #expect(key.hex == "d58c77eae0c1c1f37a9f545e207643c926ad9ea4932016a83a4a01029de37760")
    }

    @Test("RC4 matches the published test vector")
    func rc4Vector() {
        let cipher = RC4.apply(key: Array("Key".utf8), to: Array("Plaintext".utf8))
        #expect(cipher == [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3])
    }

    @Test("encrypt and decrypt round-trip non-ASCII text; a wrong seed does not decrypt to it")
    func encryptDecrypt() {
        let key = SessionKey(challenge: "c", password: "p")
        let cipher = key.encrypt(seed: "seed", "Grüße / token")
        #expect(cipher.allSatisfy { $0.isHexDigit })
        #expect(key.decrypt(seed: "seed", cipher) == "Grüße / token")
        #expect(key.decrypt(seed: "other", cipher) != "Grüße / token")
        #expect(key.decrypt(seed: "seed", "zz") == nil)
    }

    @Test("hash is sha256 of seed:key:data")
    func hash() {
        let key = SessionKey(challenge: "0123456789abcdef", password: "pwd")
        // Computed independently (Python hashlib) from "seed:<key>:data".
        #expect(key.hash(seed: "seed", "data") == "dba57d0543e8278a37e84d4301b21932715ce5866a1a6df861d605727fa6460b")
    }
}
