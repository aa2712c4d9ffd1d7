import NIOSSL

extension TLSConfiguration {
    /// The TLS suites of TLS 1.2 the service accepts: ECDHE key exchange (forward secrecy) with
    /// AEAD ciphers. TLS 1.3's suites all have both.
    public static let forwardSecretCipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// The service's HTTPS and wss:// settings: TLS 1.2 or newer, forward-secret suites only.
    public static func connectorServer(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = forwardSecretCipherSuites
        return configuration
    }
}
