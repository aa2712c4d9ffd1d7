/// Who the simulated PBX is and how it reaches the service.
public struct PBXSimulatorConfiguration: Sendable {
    /// An App object of the PBX: one per app (htm) of the service.
    public struct AppObject: Sendable, Equatable, Codable {
        /// The object's name (SIP), e.g. `kuando`.
        public var sip: String
        /// Its display name, e.g. `Connector for kuando`.
        public var dn: String
        public var guid: String
        /// The htm file name without `.htm`: the `app` of logins for it.
        public var app: String
        /// The URL configured at the object.
        public var url: String

        public init(sip: String, dn: String, guid: String, app: String, url: String) {
            self.sip = sip
            self.dn = dn
            self.guid = guid
            self.app = app
            self.url = url
        }
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
    /// Service licences on the App object (`info.lics`).
    public var lics: Int
    /// The PBX runs in licence test mode (`info.testmode`).
    public var testMode: Bool
    /// How long the PBX waits for the service's answers (`AppInfoResult`).
    public var requestTimeout: Duration
    /// Keep every frame in ``PBXSimulatorState/frames``. A long run (a benchmark's million
    /// events) turns it off so the PBX's memory stays flat; `onFrame` still sees each frame.
    public var recordsFrames: Bool

    public static let allAPIs = ["RCC", "PbxApi", "PbxTableUsers", "PbxImpersonation"]

    public init(
        serviceURL: String, password: String, domain: String = "example.com", pbxName: String = "pbx-sim",
        pbxDns: String = "pbx.example.com", version: String = "14r2 sim", build: String = "1400000",
        appObjects: [AppObject] = [
            AppObject(sip: "kuando", dn: "Connector for kuando", guid: "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", app: "innovaphone-connectorforkuando", url: "http://127.0.0.1:8080/kuando/innovaphone-connectorforkuando.htm"),
            AppObject(sip: "kuando-config", dn: "Connector for kuando config", guid: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0", app: "innovaphone-connectorforkuando-config", url: "http://127.0.0.1:8080/kuando/innovaphone-connectorforkuando-config.htm"),
        ],
        grantedAPIs: [String] = PBXSimulatorConfiguration.allAPIs, lics: Int = 10, testMode: Bool = false, requestTimeout: Duration = .seconds(10),
        recordsFrames: Bool = true
    ) {
        self.serviceURL = serviceURL
        self.password = password
        self.domain = domain
        self.pbxName = pbxName
        self.pbxDns = pbxDns
        self.version = version
        self.build = build
        self.appObjects = appObjects
        self.grantedAPIs = grantedAPIs
        self.lics = lics
        self.testMode = testMode
        self.requestTimeout = requestTimeout
        self.recordsFrames = recordsFrames
    }
}
