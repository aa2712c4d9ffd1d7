import AsyncHTTPClient
import Foundation
import NIOSSL
import Testing
import TestSupport
import WSClient
@testable import ConnectorService

/// `--tls-cert`/`--tls-key`: the service speaks HTTPS and wss:// on its one port, with a
/// self-signed certificate made by openssl for 127.0.0.1 and localhost (the websocket client sends
/// the host as SNI, which may not be an IP address).
@Suite struct TLSTests {
    struct Certificate {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
    }

    static func selfSigned(in folder: URL) async throws -> Certificate {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        // Off the cooperative threads: a 2048-bit key takes a while, and two threads are all a
        // 2-core machine has for every test running meanwhile.
        let openssl = try await KuandoProcess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(openssl.status == 0, "openssl could not make a certificate: \(openssl.stderr)")
        return Certificate(chain: try NIOSSLCertificate.fromPEMFile(cert), key: try NIOSSLPrivateKey(file: key, format: .pem))
    }

    @Test func theServiceAnswersHTTPSAndWSSAndRefusesPlainHTTP() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = try await Self.selfSigned(in: folder)
        let serverTLS = TLSConfiguration.connectorServer(certificateChain: certificate.chain, privateKey: certificate.key)
        let store = try SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
        let server = try await ConnectorServer.start(.init(port: 0, password: "pw", tls: serverTLS), store: store, logger: ServiceRig.quiet)

        var clientTLS = TLSConfiguration.makeClientConfiguration()
        clientTLS.trustRoots = .certificates(certificate.chain)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: clientTLS))
        try await withCleanup {
            let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/healthz"), timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "ok\n")

            let plain = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/healthz"), timeout: .seconds(10))
            #expect(plain?.status != .ok, "plain HTTP must not be served on a TLS port")

            let text = try await Self.challengeReply(port: server.port, tls: clientTLS) ?? "no reply"
            #expect(text.contains(#""mt":"AppChallengeResult""#), "\(text)")
        } cleanup: {
            try await client.shutdown()
            await server.stop()
        }
    }
}

extension TLSTests {
    /// A service with TLS and a short request-head deadline, for `body`.
    func withTLSService(requestHeadDeadline: Duration = .seconds(10), _ body: (ConnectorServer, Certificate) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = try await Self.selfSigned(in: folder)
        let serverTLS = TLSConfiguration.connectorServer(certificateChain: certificate.chain, privateKey: certificate.key)
        let store = try SQLiteConfigStore(path: folder.appendingPathComponent("connector.sqlite").path)
        let server = try await ConnectorServer.start(
            .init(port: 0, password: "pw", tls: serverTLS), store: store,
            limits: .init(loginDeadline: .seconds(30), requestHeadDeadline: requestHeadDeadline), logger: ServiceRig.quiet)
        try await withCleanup {
            try await body(server, certificate)
        } cleanup: {
            await server.stop()
        }
    }

    /// The request-head deadline reads the decrypted bytes: a wss:// websocket that is quiet for
    /// longer than the deadline is still open (in front of TLS the deadline saw only ciphertext
    /// and cut every connection).
    @Test func aQuietWSSConnectionOutlivesTheRequestHeadDeadline() async throws {
        try await withTLSService(requestHeadDeadline: .seconds(1)) { server, certificate in
            var clientTLS = TLSConfiguration.makeClientConfiguration()
            clientTLS.trustRoots = .certificates(certificate.chain)
            // Quiet for twice the deadline: the idle connection is what is under test.
            let text = try await Self.challengeReply(port: server.port, tls: clientTLS, after: .seconds(2)) ?? "no reply: the connection was closed"
            #expect(text.contains(#""mt":"AppChallengeResult""#), "\(text)")
        }
    }

    @Test func onlyTLS12AndNewerWithForwardSecretSuitesAreAccepted() async throws {
        try await withTLSService { server, certificate in
            func client(_ adjust: (inout TLSConfiguration) -> Void) -> HTTPClient {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates(certificate.chain)
                adjust(&tls)
                return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            }
            let url = "https://127.0.0.1:\(server.port)/healthz"
            let cases: [(String, Bool, (inout TLSConfiguration) -> Void)] = [
                ("TLS 1.3", true, { $0.minimumTLSVersion = .tlsv13 }),
                ("TLS 1.2 with ECDHE", true, { $0.maximumTLSVersion = .tlsv12; $0.cipherSuites = "ECDHE-RSA-AES128-GCM-SHA256" }),
                ("TLS 1.1", false, { $0.minimumTLSVersion = .tlsv1; $0.maximumTLSVersion = .tlsv11 }),
                ("TLS 1.2 with RSA key exchange", false, { $0.maximumTLSVersion = .tlsv12; $0.cipherSuites = "AES128-GCM-SHA256" }),
            ]
            for (name, accepted, adjust) in cases {
                let http = client(adjust)
                let response = try? await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
                try await http.shutdown()
                #expect((response?.status == .ok) == accepted, "\(name)")
            }
        }
    }
}

extension TLSTests {
    /// Opens a wss connection, stays quiet for `quiet`, sends `AppChallenge` and returns the first
    /// text the service answers; nil when the connection closed without one.
    static func challengeReply(port: Int, tls: TLSConfiguration, after quiet: Duration = .zero) async throws -> String? {
        let reply = Reply()
        try await WebSocketClient.connect(url: "wss://localhost:\(port)/kuando/", tlsConfiguration: tls, logger: ServiceRig.quiet) { inbound, outbound, _ in
            try await Task.sleep(for: quiet)
            try await outbound.write(.text(#"{"mt":"AppChallenge"}"#))
            for try await message in inbound.messages(maxSize: 1 << 16) {
                if case .text(let text) = message { await reply.set(text) }
                break
            }
        }
        return await reply.text
    }
}

private actor Reply {
    var text: String?

    func set(_ text: String) {
        self.text = text
    }
}
