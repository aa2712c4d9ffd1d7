import ConnectorService
import Foundation
import Logging
import NIOSSL

/// Everything `kuando serve` can be told, resolved from flags, environment, config file and
/// defaults (see ``SettingsResolver``) and checked before anything starts.
struct ServeSettings: CommandSettings {
    static let config = Setting("config", environment: "KUANDO_CONFIG", "JSON file with settings (keys are the flag names without --).")
    static let port = Setting("port", environment: "KUANDO_PORT", default: "8080", "TCP port to listen on.")
    static let listen = Setting("listen", environment: "KUANDO_LISTEN", default: "0.0.0.0", "Address to listen on (0.0.0.0 for all interfaces).")
    static let path = Setting("path", environment: "KUANDO_PATH", default: "/kuando", "URL path of the apps' directory; the websocket is this directory.")
    static let domain = Setting("domain", environment: "KUANDO_DOMAIN", "The PBX domain this instance serves (sent back in AppLoginResult).")
    static let password = Setting(
        "password", environment: "KUANDO_PASSWORD", secret: true,
        "The instance password the PBX App objects use, at least 16 characters; generated and stored when not given (`kuando show-password` prints the stored one).")
    static let db = Setting(
        "db", environment: "KUANDO_DB", default: "sqlite:./kuando-data/connector.sqlite", credentials: true,
        "Where settings live: sqlite:PATH or postgres://user:pass@host:port/db.")
    static let allowHubNetwork = Setting(
        "allow-hub-network", environment: "KUANDO_ALLOW_HUB_NETWORK",
        "A network (CIDR) whose kuandoHUBs the service may call itself; repeatable (comma-separated in the environment). Default: none (hubs on the users' PCs are reached through myApps).")
    static let directLocalHubs = Setting(
        "direct-local-hubs", environment: "KUANDO_DIRECT_LOCAL_HUBS", default: "false",
        "Call hubs on localhost from the service itself instead of through the hidden app. Only for a service running on the same machine as the hub (a single-user box, a demo).")
    static let tlsCert = Setting(
        "tls-cert", environment: "KUANDO_TLS_CERT",
        "PEM file with the certificate (chain) for HTTPS and wss://; needs --tls-key. Without both the service speaks plain HTTP.")
    static let tlsKey = Setting("tls-key", environment: "KUANDO_TLS_KEY", "PEM file with the private key of --tls-cert.")
    static let allowOrigin = Setting(
        "allow-origin", environment: "KUANDO_ALLOW_ORIGIN",
        "A web origin (https://host[:port]) besides the service's own whose pages may open the websocket, e.g. the public name a reverse proxy serves the apps under; repeatable. Default: none.")
    static let trustedProxy = Setting(
        "trusted-proxy", environment: "KUANDO_TRUSTED_PROXY",
        "A network (CIDR) of reverse proxies whose Forwarded / X-Forwarded-For headers name the client, so failed logins count per client; repeatable. Default: none (the socket peer is the client).")

    /// Every setting, in the order `--check-config` prints them.
    static let all: [Setting] = [
        config, port, listen, path, domain, password, db, allowHubNetwork, directLocalHubs, tlsCert, tlsKey, allowOrigin, trustedProxy, .logFormat,
        .logLevel,
    ]

    var port: Int
    var listen: String
    var path: String
    var domain: String?
    var password: String?
    var db: String
    var allowedHubNetworks: [IPNetwork]
    var directLocalHubs: Bool
    var tls: TLSConfiguration?
    var allowedOrigins: [String]
    var trustedProxies: [IPNetwork]
    var logFormat: LogFormat
    var logLevel: Logger.Level
    var report: String

    /// Resolves and checks every setting. `flags` holds what was given on the command line, by key.
    init(flags: [String: [String]], environment: [String: String]) throws(SettingsError) {
        var resolver = try SettingsResolver(flags: flags, environment: environment, config: Self.config, known: Self.all)
        port = try resolver.value(Self.port, default: 8080, parse: SettingParsers.port)
        listen = try resolver.value(Self.listen, default: "0.0.0.0", parse: Self.address)
        path = try resolver.value(Self.path, default: "/kuando", parse: Self.urlPath)
        domain = try resolver.optional(Self.domain, absent: "(any)", parse: SettingParsers.nonEmpty)
        password = try resolver.optional(Self.password, absent: "(generated and stored on the first start)", parse: Self.instancePassword)
        db = try resolver.value(Self.db, default: "sqlite:./kuando-data/connector.sqlite", shown: Self.redactedLocation, parse: Self.location)
        allowedHubNetworks = try resolver.values(Self.allowHubNetwork, parse: Self.network)
        directLocalHubs = try resolver.value(Self.directLocalHubs, default: false, parse: SettingParsers.bool)
        let certificate = try resolver.optional(Self.tlsCert, absent: "(none: plain HTTP)", parse: Self.certificateChain)
        let key = try resolver.optional(Self.tlsKey, absent: "(none)", parse: Self.privateKey)
        tls = try Self.tls(certificate: certificate, key: key, resolver: resolver)
        allowedOrigins = try resolver.values(Self.allowOrigin, parse: SettingParsers.origin)
        trustedProxies = try resolver.values(Self.trustedProxy, parse: Self.network)
        logFormat = try resolver.value(.logFormat, default: .text, shown: \.rawValue, parse: SettingParsers.choice)
        logLevel = try resolver.value(.logLevel, default: .info, shown: \.rawValue, parse: SettingParsers.logLevel)
        report = resolver.report
    }

    /// The shortest instance password accepted: as long as a generated one.
    static let minimumPasswordLength = 16

    private static func instancePassword(_ text: String) -> Result<String, SettingProblem> {
        text.count >= minimumPasswordLength
            ? .success(text)
            : .failure(SettingProblem("too short: use at least \(minimumPasswordLength) characters, or leave it unset to have one generated"))
    }

    private static func address(_ text: String) -> Result<String, SettingProblem> {
        text.isEmpty || text.contains(where: \.isWhitespace)
            ? .failure(SettingProblem("not an address: write an IP address such as 0.0.0.0 or 127.0.0.1, or a host name"))
            : .success(text)
    }

    private static func urlPath(_ text: String) -> Result<String, SettingProblem> {
        text.hasPrefix("/") && !text.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" })
            ? .success(text)
            : .failure(SettingProblem("not a URL path: write it like /kuando"))
    }

    private static func location(_ text: String) -> Result<String, SettingProblem> {
        do {
            _ = try ConfigStoreLocation(parsing: text)
            return .success(text)
        } catch {
            return .failure(SettingProblem("\(error)"))
        }
    }

    private static func redactedLocation(_ text: String) -> String {
        (try? ConfigStoreLocation(parsing: text).description) ?? "(unreadable)"
    }

    private static func network(_ text: String) -> Result<IPNetwork, SettingProblem> {
        IPNetwork(text).map(Result.success) ?? .failure(SettingProblem("not a network; write it like 10.0.0.0/8 or fd00::/8"))
    }

    private static func certificateChain(_ path: String) -> Result<[NIOSSLCertificate], SettingProblem> {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(path)
            return chain.isEmpty ? .failure(SettingProblem("holds no PEM certificate")) : .success(chain)
        } catch {
            return .failure(SettingProblem("cannot be read as a PEM certificate (\(error)): check the path, the format (-----BEGIN CERTIFICATE-----) and that this user may read it"))
        }
    }

    private static func privateKey(_ path: String) -> Result<NIOSSLPrivateKey, SettingProblem> {
        do {
            return .success(try NIOSSLPrivateKey(file: path, format: .pem))
        } catch {
            return .failure(SettingProblem("cannot be read as a PEM private key (\(error)): check the path, that it is not encrypted, and that this user may read it"))
        }
    }

    /// Both files or neither; the key must belong to the certificate.
    private static func tls(certificate: [NIOSSLCertificate]?, key: NIOSSLPrivateKey?, resolver: SettingsResolver) throws(SettingsError) -> TLSConfiguration? {
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (.some, nil):
            let (texts, source) = resolver.raw(Self.tlsCert)!
            throw SettingsError(Self.tlsCert, source, value: texts.joined(), "needs the private key too: set \(Self.tlsKey.flag) or \(Self.tlsKey.environment)")
        case (nil, .some):
            let (texts, source) = resolver.raw(Self.tlsKey)!
            throw SettingsError(Self.tlsKey, source, value: texts.joined(), "needs the certificate too: set \(Self.tlsCert.flag) or \(Self.tlsCert.environment)")
        case (let chain?, let key?):
            let configuration = TLSConfiguration.connectorServer(certificateChain: chain, privateKey: key)
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch {
                let (texts, source) = resolver.raw(Self.tlsKey)!
                throw SettingsError(Self.tlsKey, source, value: texts.joined(), "does not fit the certificate of \(Self.tlsCert.flag) (\(error))")
            }
            return configuration
        }
    }
}
