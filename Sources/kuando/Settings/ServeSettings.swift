import ConnectorService
import Foundation
import NIOSSL

/// Everything `kuando serve` can be told, resolved from flags, environment, config file and
/// defaults (see ``SettingsResolver``) and checked before anything starts.
struct ServeSettings: CommandSettings {
    typealias Defaults = ConnectorServer.Configuration

    static let config = SettingOption<String>(
        "config", environment: "KUANDO_CONFIG", absent: "(none)", parse: SettingParsers.nonEmpty,
        "JSON file with settings (keys are the flag names without --).")
    static let port = SettingOption<Int>("port", environment: "KUANDO_PORT", default: Defaults.defaultPort, parse: SettingParsers.port, "TCP port to listen on.")
    static let listen = SettingOption<String>(
        "listen", environment: "KUANDO_LISTEN", default: Defaults.defaultHost, parse: address,
        "Address to listen on: 127.0.0.1 for this machine (behind a reverse proxy), 0.0.0.0 for all interfaces.")
    static let path = SettingOption<String>(
        "path", environment: "KUANDO_PATH", default: Defaults.defaultPath, parse: urlPath, "URL path of the apps' directory; the websocket is this directory.")
    static let domain = SettingOption<String>(
        "domain", environment: "KUANDO_DOMAIN", absent: "(any)", parse: SettingParsers.nonEmpty, "The PBX domain of this service's own instance: its logins only, at /<domain><path> and <path> (sent back in AppLoginResult).")
    static let password = SettingOption<String>(
        "password", environment: "KUANDO_PASSWORD", absent: "(generated and stored on the first start)", secret: true, parse: instancePassword,
        "The instance password the PBX App objects use, at least 16 characters; generated and stored when not given (`kuando instance show-password` prints the stored one).")
    static let db = SettingOption<String>(
        "db", environment: "KUANDO_DB", default: "sqlite:./kuando-data/connector.sqlite", credentials: true, shown: redactedLocation, parse: location,
        "Where settings live: sqlite:PATH or postgres://user:pass@host:port/db.")
    static let allowHubNetwork = SettingOption<IPNetwork>(
        "allow-hub-network", environment: "KUANDO_ALLOW_HUB_NETWORK", kind: .list, parse: network,
        "A network (CIDR) whose kuandoHUBs the service may call itself; repeatable (comma-separated in the environment). Default: none (hubs on the users' PCs are reached through myApps).")
    static let directLocalHubs = SettingOption<Bool>(
        "direct-local-hubs", environment: "KUANDO_DIRECT_LOCAL_HUBS", default: false,
        "Call hubs on localhost from the service itself instead of through the hidden app. Only for a service running on the same machine as the hub (a single-user box, a demo).")
    static let tlsCert = SettingOption<[NIOSSLCertificate]>(
        "tls-cert", environment: "KUANDO_TLS_CERT", absent: "(none: plain HTTP)", parse: certificateChain,
        "PEM file with the certificate (chain) for HTTPS and wss://; needs --tls-key. Without both the service speaks plain HTTP.")
    static let tlsKey = SettingOption<NIOSSLPrivateKey>(
        "tls-key", environment: "KUANDO_TLS_KEY", absent: "(none)", parse: privateKey, "PEM file with the private key of --tls-cert.")
    static let allowOrigin = SettingOption<String>(
        "allow-origin", environment: "KUANDO_ALLOW_ORIGIN", kind: .list, parse: SettingParsers.origin,
        "A web origin (https://host[:port]) besides the service's own whose pages may open the websocket, e.g. the public name a reverse proxy serves the apps under; repeatable. Default: none.")
    static let trustedProxy = SettingOption<IPNetwork>(
        "trusted-proxy", environment: "KUANDO_TRUSTED_PROXY", kind: .list, parse: network,
        "A network (CIDR) of reverse proxies whose Forwarded / X-Forwarded-For headers name the client, so failed logins count per client; repeatable. Default: none (the socket peer is the client).")

    static let all: [Setting] = [
        Self.config.setting, Self.port.setting, Self.listen.setting, Self.path.setting, Self.domain.setting, Self.password.setting, Self.db.setting, Self.allowHubNetwork.setting,
        Self.directLocalHubs.setting, Self.tlsCert.setting, Self.tlsKey.setting, Self.allowOrigin.setting, Self.trustedProxy.setting,
    ] + LogSettings.all

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
    var log: LogSettings

    init(resolver: inout SettingsResolver) throws(SettingsError) {
        port = try resolver.value(Self.port)
        listen = try resolver.value(Self.listen)
        path = try resolver.value(Self.path)
        domain = try resolver.optional(Self.domain)
        password = try resolver.optional(Self.password)
        db = try resolver.value(Self.db)
        allowedHubNetworks = try resolver.values(Self.allowHubNetwork)
        directLocalHubs = try resolver.value(Self.directLocalHubs)
        let certificate = try resolver.optional(Self.tlsCert)
        let key = try resolver.optional(Self.tlsKey)
        tls = try Self.tls(certificate: certificate, key: key, resolver: resolver)
        allowedOrigins = try resolver.values(Self.allowOrigin)
        trustedProxies = try resolver.values(Self.trustedProxy)
        log = try LogSettings(resolver: &resolver)
    }

    /// The service's configuration from these settings.
    func configuration(password instancePassword: String) -> ConnectorServer.Configuration {
        ConnectorServer.Configuration(
            host: listen, port: port, path: path, domain: domain, password: instancePassword, allowedHubNetworks: allowedHubNetworks,
            localHubsDirect: directLocalHubs, tls: tls, allowedOrigins: allowedOrigins, trustedProxies: trustedProxies)
    }

    /// The shortest instance password accepted: as long as a generated one.
    static let minimumPasswordLength = InstancePassword.length

    @Sendable private static func instancePassword(_ text: String) -> Result<String, SettingProblem> {
        text.count >= minimumPasswordLength
            ? .success(text)
            : .failure(SettingProblem("too short: use at least \(minimumPasswordLength) characters, or leave it unset to have one generated"))
    }

    @Sendable private static func address(_ text: String) -> Result<String, SettingProblem> {
        text.isEmpty || text.contains(where: \.isWhitespace)
            ? .failure(SettingProblem("not an address: write an IP address such as 0.0.0.0 or 127.0.0.1, or a host name"))
            : .success(text)
    }

    @Sendable private static func urlPath(_ text: String) -> Result<String, SettingProblem> {
        text.hasPrefix("/") && !text.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" })
            ? .success(text)
            : .failure(SettingProblem("not a URL path: write it like /kuando"))
    }

    @Sendable private static func location(_ text: String) -> Result<String, SettingProblem> {
        do {
            _ = try ConfigStoreLocation(parsing: text)
            return .success(text)
        } catch {
            return .failure(SettingProblem("\(error)"))
        }
    }

    @Sendable private static func redactedLocation(_ text: String) -> String {
        (try? ConfigStoreLocation(parsing: text).description) ?? "(unreadable)"
    }

    @Sendable private static func network(_ text: String) -> Result<IPNetwork, SettingProblem> {
        IPNetwork(text).map(Result.success) ?? .failure(SettingProblem("not a network; write it like 10.0.0.0/8 or fd00::/8"))
    }

    @Sendable private static func certificateChain(_ path: String) -> Result<[NIOSSLCertificate], SettingProblem> {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(path)
            return chain.isEmpty ? .failure(SettingProblem("holds no PEM certificate")) : .success(chain)
        } catch {
            return .failure(SettingProblem("cannot be read as a PEM certificate (\(error)): check the path, the format (-----BEGIN CERTIFICATE-----) and that this user may read it"))
        }
    }

    @Sendable private static func privateKey(_ path: String) -> Result<NIOSSLPrivateKey, SettingProblem> {
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
            let (texts, source) = resolver.raw(Self.tlsCert.setting)!
            throw SettingsError(
                Self.tlsCert.setting, source, value: texts.joined(), "needs the private key too: set \(Self.tlsKey.setting.flag) or \(Self.tlsKey.setting.environment)")
        case (nil, .some):
            let (texts, source) = resolver.raw(Self.tlsKey.setting)!
            throw SettingsError(
                Self.tlsKey.setting, source, value: texts.joined(), "needs the certificate too: set \(Self.tlsCert.setting.flag) or \(Self.tlsCert.setting.environment)")
        case (let chain?, let key?):
            let configuration = TLSConfiguration.connectorServer(certificateChain: chain, privateKey: key)
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch {
                let (texts, source) = resolver.raw(Self.tlsKey.setting)!
                throw SettingsError(Self.tlsKey.setting, source, value: texts.joined(), "does not fit the certificate of \(Self.tlsCert.setting.flag) (\(error))")
            }
            return configuration
        }
    }
}
