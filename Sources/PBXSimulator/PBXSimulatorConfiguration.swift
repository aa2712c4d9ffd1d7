/// Who the simulated PBX is and how it reaches the service.
public struct PBXSimulatorConfiguration: Sendable {
    /// An App object of the PBX: one per app (htm) of the service.
    public struct AppObject: Sendable, Equatable, Codable {
        /// The object's name (SIP), e.g. `kuando`: the admin chooses it freely.
        public var sip: String
        /// Its display name, e.g. `Connector for kuando`.
        public var dn: String
        public var guid: String
        /// The app the PBX logs in for: the last path segment of ``url``, without `.htm`.
        public var app: String
        /// The URL configured at the object, e.g. `https://host/kuando/innovaphone-connectorforkuando`.
        public var url: String

        public init(sip: String, dn: String, guid: String, app: String? = nil, url: String) {
            self.sip = sip
            self.dn = dn
            self.guid = guid
            self.url = url
            self.app = app ?? Self.app(of: url)
        }

        enum CodingKeys: String, CodingKey {
            case sip, dn, guid, app, url
        }

        /// `app` may be left out of a scenario file: it follows from `url`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                sip: try container.decode(String.self, forKey: .sip), dn: try container.decode(String.self, forKey: .dn),
                guid: try container.decode(String.self, forKey: .guid), app: try container.decodeIfPresent(String.self, forKey: .app),
                url: try container.decode(String.self, forKey: .url))
        }

        /// The last path segment of an App object URL without `.htm` and query: what the PBX
        /// puts into `app` when it logs in (`real-traffic.md`, fact 3).
        public static func app(of url: String) -> String {
            let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
            let last = path.split(separator: "/").last.map(String.init) ?? path
            return last.hasSuffix(".htm") ? String(last.dropLast(4)) : last
        }
    }

    /// The Connector's two App objects as an admin creates them (README), their URLs in
    /// `directory` (the service's apps directory, e.g. `http://127.0.0.1:8080/kuando/`): the
    /// hidden app `kuando` and the config app `kuando-config`. The names differ from the pages'
    /// on purpose: App object names are free, and the apps must not assume them.
    public static func connectorAppObjects(directory: String) -> [AppObject] {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return [
            AppObject(sip: "kuando", dn: "Connector for kuando", guid: "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", url: base + "innovaphone-connectorforkuando"),
            AppObject(sip: "kuando-config", dn: "Connector for kuando config", guid: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0", url: base + "innovaphone-connectorforkuando-config"),
        ]
    }

    /// The service's websocket URL (the App object URL with `http` → `ws`).
    public var serviceURL: String
    /// The instance password the App objects carry.
    public var password: String
    public var domain: String
    /// The PBX's name (`PbxInfo.pbx`, `info.pbx`).
    public var pbxName: String
    public var pbxDns: String
    public var version: String
    public var build: String
    /// The App object the PBX connects with (flow B); the first of ``appObjects``.
    public var appObjects: [AppObject]
    /// The PBX APIs granted by the App object's checkmarks, announced in `PbxInfo.apis`.
    public var grantedAPIs: [String]
    /// Service licences on the App object (`info.lics`, documented in 13r1, in no capture); sent
    /// only when set.
    public var lics: Int?
    /// The PBX runs in licence test mode (`info.testmode`).
    public var testMode: Bool
    /// How long the PBX waits for the service's answers (`AppInfoResult`).
    public var requestTimeout: Duration
    /// Add to every frame the PBX sends members that nothing documents, of every JSON type, as
    /// real PBXs do (`real-traffic.md`, fact 6). On unless a test wants frames to the letter.
    public var undocumentedFields: Bool
    /// Keep every frame in ``PBXSimulatorState/frames``. A long run (a benchmark's million
    /// events) turns it off so the PBX's memory stays flat; `onFrame` still sees each frame.
    public var recordsFrames: Bool
    /// How fast RCC `Initialize` announces the users: nil, all at once (the fastest a test can
    /// go); ``InitializePace/realPBX``, as a real PBX does.
    public var initializePace: InitializePace?

    /// How many `UserInfo`s RCC `Initialize` sends per tick.
    public struct InitializePace: Sendable, Equatable {
        public var users: Int
        public var tick: Duration

        public init(users: Int, tick: Duration) {
            self.users = users
            self.tick = tick
        }

        /// A real PBX: at most 50 users per 20 ms tick (`RCC.htm`: `Initialize.limit` ≤ 50), or
        /// fewer when the service asks for a smaller `limit`.
        public static let realPBX = InitializePace(users: 50, tick: .milliseconds(20))
    }

    public static let allAPIs = ["RCC", "PbxApi", "PbxTableUsers", "PbxImpersonation"]

    public init(
        serviceURL: String, password: String, domain: String = "example.com", pbxName: String = "pbx-sim",
        pbxDns: String = "pbx.example.com", version: String = "14r2 sim", build: String = "1400000",
        appObjects: [AppObject]? = nil,
        grantedAPIs: [String] = PBXSimulatorConfiguration.allAPIs, lics: Int? = nil, testMode: Bool = false, requestTimeout: Duration = .seconds(10),
        undocumentedFields: Bool = true, recordsFrames: Bool = true, initializePace: InitializePace? = nil
    ) {
        self.serviceURL = serviceURL
        self.password = password
        self.domain = domain
        self.pbxName = pbxName
        self.pbxDns = pbxDns
        self.version = version
        self.build = build
        self.appObjects = appObjects ?? Self.connectorAppObjects(directory: Self.directory(of: serviceURL))
        self.grantedAPIs = grantedAPIs
        self.lics = lics
        self.testMode = testMode
        self.requestTimeout = requestTimeout
        self.undocumentedFields = undocumentedFields
        self.recordsFrames = recordsFrames
        self.initializePace = initializePace
    }

    /// The names of ``connectorAppObjects(directory:)`` by the app (page) each opens, as myApps
    /// learns them from the PBX.
    public static var connectorObjectNames: [String: String] {
        Dictionary(uniqueKeysWithValues: connectorAppObjects(directory: "/").map { ($0.app, $0.sip) })
    }

    /// The apps' directory for a service websocket URL: `ws://h:p/kuando/` → `http://h:p/kuando/`.
    static func directory(of serviceURL: String) -> String {
        if serviceURL.hasPrefix("wss://") { return "https://" + serviceURL.dropFirst(6) }
        if serviceURL.hasPrefix("ws://") { return "http://" + serviceURL.dropFirst(5) }
        return serviceURL
    }
}
