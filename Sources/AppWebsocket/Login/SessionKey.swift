/// The per-login session key and the helpers that encrypt, decrypt and sign with it (§1.3).
///
/// `key = sha256_hex("innovaphoneAppSessionKey:" + challenge + ":" + password)`;
/// `encrypt(seed, data) = hex(RC4(seed + ":" + key, data))`; `hash(seed, data) =
/// sha256_hex(seed + ":" + key + ":" + data)`.
public struct SessionKey: Sendable, Hashable {
    /// The key as lowercase hex.
    public let hex: String

    /// Derives the key a login with this challenge and password shares.
    public init(challenge: String, password: String) {
        self.hex = sha256Hex("innovaphoneAppSessionKey:" + challenge + ":" + password)
    }

    /// Wraps a key handed over by the PBX (`AppGetLoginResult.key`).
    public init(hex: String) { self.hex = hex }

    /// RC4 of the UTF-8 data keyed with `seed:key`, as lowercase hex.
    public func encrypt(seed: String, _ data: String) -> String {
        RC4.apply(key: Array((seed + ":" + hex).utf8), to: Array(data.utf8)).map { byte in
            (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    /// The inverse of ``encrypt(seed:_:)``; nil when `hexData` is not hex or not UTF-8 after decryption.
    public func decrypt(seed: String, _ hexData: String) -> String? {
        let digits = Array(hexData.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        let plain = RC4.apply(key: Array((seed + ":" + hex).utf8), to: bytes)
        return String(validating: plain, as: UTF8.self)
    }

    /// `sha256_hex(seed:key:data)`.
    public func hash(seed: String, _ data: String) -> String {
        sha256Hex(seed + ":" + hex + ":" + data)
    }
}

/// Plain RC4 (KSA and PRGA), as the innovaphone libraries use for the session helpers.
enum RC4 {
    static func apply(key: [UInt8], to data: [UInt8]) -> [UInt8] {
        guard !key.isEmpty else { return data }
        var state = Array(0...255).map(UInt8.init)
        var j = 0
        for i in 0..<256 {
            j = (j + Int(state[i]) + Int(key[i % key.count])) & 0xFF
            state.swapAt(i, j)
        }
        var i = 0
        j = 0
        return data.map { byte in
            i = (i + 1) & 0xFF
            j = (j + Int(state[i])) & 0xFF
            state.swapAt(i, j)
            return byte ^ state[(Int(state[i]) + Int(state[j])) & 0xFF]
        }
    }
}
