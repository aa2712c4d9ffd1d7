import AppWebsocket
import AsyncHTTPClient
import Foundation
import HTTPTypes
import KuandoHub
import Testing
import TestSupport
@testable import ConnectorService

/// Behind a reverse proxy, failed logins count per client; web pages of other origins may not
/// open the websocket.
@Suite struct ClientAddressTests {
    let proxies = [IPNetwork("10.0.0.0/8")!, IPNetwork("::1/128")!]

    @Test(arguments: [
        // peer, Forwarded, X-Forwarded-For, client
        ("10.0.0.2", nil, "203.0.113.7", "203.0.113.7"),
        ("10.0.0.2", nil, "198.51.100.9, 203.0.113.7, 10.0.0.3", "203.0.113.7"),
        ("10.0.0.2", #"for=192.0.2.60;proto=http;by=10.0.0.2"#, "203.0.113.7", "192.0.2.60"),
        ("10.0.0.2", #"for="[2001:db8:cafe::17]:4711""#, nil, "2001:db8:cafe::17"),
        ("10.0.0.2", #"for=192.0.2.43, for=10.0.0.5"#, nil, "192.0.2.43"),
        ("10.0.0.2", nil, nil, "10.0.0.2"),
        ("10.0.0.2", nil, "not an address", "10.0.0.2"),
        ("10.0.0.2", #"for=unknown"#, nil, "10.0.0.2"),
        // A client that is no trusted proxy cannot name another address.
        ("203.0.113.7", nil, "10.9.9.9", "203.0.113.7"),
        ("::1", nil, "::ffff:203.0.113.8", "203.0.113.8"),
    ] as [(String, String?, String?, String)])
    func theClientIsTheNearestHopThatIsNoTrustedProxy(peer: String, forwarded: String?, xForwardedFor: String?, client: String) {
        #expect(ClientAddress.resolve(peer: peer, forwarded: forwarded, xForwardedFor: xForwardedFor, trusted: proxies) == client)
    }

    @Test func originsAreComparedAsBrowsersSendThem() {
        let origins = BrowserOrigins(allowed: ["https://Apps.Example.com:443/", "http://10.0.0.5:8080"])
        #expect(origins.allowed == ["https://apps.example.com", "http://10.0.0.5:8080"])
        #expect(origins.allows(origin: "https://apps.example.com", host: "svc:8080"))
        #expect(origins.allows(origin: "http://10.0.0.5:8080", host: "svc:8080"))
        #expect(!origins.allows(origin: "https://evil.example", host: "svc:8080"))
        #expect(!origins.allows(origin: "null", host: "svc:8080"))
        #expect(origins.allows(origin: nil, host: "svc:8080"), "no Origin: not a browser")
        #expect(origins.allows(origin: "ws://127.0.0.1", host: "svc:8080"), "a websocket library, not a page")
        #expect(origins.allows(origin: "http://svc:8080", host: "svc:8080"), "the service's own pages")
        #expect(origins.allows(origin: "https://svc", host: "svc:443"))
        #expect(!origins.allows(origin: "http://svc:8081", host: "svc:8080"))
        #expect(BrowserOrigins.normalise("https://apps.example.com/path") == nil)
    }
}

@Suite(.serialized) struct ProxyAndOriginTests {
    static func failLogin(port: Int, headers: HTTPFields) async throws {
        try await RawWebSocket.session(port: port, headers: headers) { socket in
            try await WebsocketBadInputTests.badLogin(socket)
            _ = try await socket.next(AppLoginResult.messageType)
        }
    }

    @Test func behindATrustedProxyOneClientsFailuresDoNotLockOutTheOthers() async throws {
        try await ServiceRig.run(
            limits: .init(loginThrottle: LoginThrottle(capacity: 2, refillInterval: .seconds(600))), configure: { $0.trustedProxies = [IPNetwork("127.0.0.0/8")!] }
        ) { rig in
            let guesser: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"]
            for _ in 0..<2 { try await Self.failLogin(port: rig.server.port, headers: guesser) }
            try await RawWebSocket.session(port: rig.server.port, headers: guesser) { socket in
                try await socket.send(Frame(AppChallenge()).text)
                let error = try await socket.next("Error")
                #expect(error.object["errorText"]?.stringValue?.contains("too many failed logins from 203.0.113.7") == true, "\(error)")
            }
            // Another client behind the same proxy still gets its challenge.
            try await RawWebSocket.session(port: rig.server.port, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.8"]) { socket in
                try await socket.send(Frame(AppChallenge()).text)
                _ = try await socket.next(AppChallengeResult.messageType)
            }
        }
    }

    @Test func withoutATrustedProxyTheHeaderNamesNoOne() async throws {
        try await ServiceRig.run(limits: .init(loginThrottle: LoginThrottle(capacity: 1, refillInterval: .seconds(600)))) { rig in
            try await Self.failLogin(port: rig.server.port, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"])
            // The failure counted for the socket peer, whatever the header claims.
            try await RawWebSocket.session(port: rig.server.port, headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.1"]) { socket in
                try await socket.send(Frame(AppChallenge()).text)
                let error = try await socket.next("Error")
                #expect(error.object["errorText"]?.stringValue?.contains("from 127.0.0.1") == true, "\(error)")
            }
        }
    }

    @Test func aPageOfAnotherOriginCannotOpenTheWebsocket() async throws {
        let logs = LogCapture()
        try await ServiceRig.run(serviceLogger: logs.logger, configure: { $0.allowedOrigins = ["https://apps.example.com"] }) { rig in
            // A browser's upgrade from another origin (the websocket client library always sends
            // its own `ws://` origin, so a plain HTTP client plays the browser here).
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var upgrade = HTTPClientRequest(url: "http://127.0.0.1:\(rig.server.port)/kuando/")
            for (name, value) in [
                ("Origin", "https://evil.example"), ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ] {
                upgrade.headers.add(name: name, value: value)
            }
            let answer = try? await client.execute(upgrade, timeout: .seconds(5))
            let text = try? await answer?.body.collect(upTo: 4096)
            try await client.shutdown()
            #expect(answer != nil && answer?.status.code != 101, "\(String(describing: answer?.status)) \(String(describing: text))")
            #expect(logs.entries(atLeast: .warning).contains { $0.message.contains("--allow-origin") && $0.metadata.contains("evil.example") })
            // The service's own pages, and the origins the admin allows, may.
            for origin in ["http://127.0.0.1:\(rig.server.port)", "https://apps.example.com"] {
                var allowed = upgrade
                allowed.headers.replaceOrAdd(name: "Origin", value: origin)
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                let switched = try? await client.execute(allowed, timeout: .seconds(5))
                try await client.shutdown()
                #expect(switched?.status.code == 101, "\(origin)")
            }
        }
    }
}
