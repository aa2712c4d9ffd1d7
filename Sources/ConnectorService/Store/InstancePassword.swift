/// The shared secret between the service and the PBX's App objects.
public enum InstancePassword {
    /// The characters a generated password uses: letters and digits, so it can be pasted into
    /// the PBX's App object form without quoting.
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// How many characters a generated password has (about 95 bits).
    public static let length = 16

    /// A new random password of ``length`` characters from the system's cryptographically
    /// secure generator (`getrandom` on Linux).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    static func generate(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<length).map { _ in alphabet[Int.random(in: alphabet.indices, using: &generator)] })
    }
}
