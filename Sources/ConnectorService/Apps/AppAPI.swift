import AppWebsocket
import KuandoSync

/// The apps' API (`docs/api.md`): what the config app and the hidden app send the service on
/// their websocket after the login, and what the service answers, as typed messages. The
/// service (``AppPeer``), the test rigs and the browser tests' fake service all use these.
///
/// A request's answer is its `mt` + `Result` with the request's `src`; a refused request gets
/// ``Refusal`` (`{"ok":false,"error":…}`) under that name.
public enum AppAPI {
    /// The config app reads the user's settings (created with defaults on the first open).
    public struct GetConfig: CodableAppMessage, Equatable {
        public static let messageType = "GetConfig"
        public init() {}
    }

    public struct GetConfigResult: CodableAppMessage, Equatable {
        public static let messageType = "GetConfigResult"
        public var config: UserConfig
        public init(config: UserConfig) { self.config = config }
    }

    /// The config app changes some settings: `config` holds only the keys to change.
    public struct SetConfig: CodableAppMessage, Equatable {
        public static let messageType = "SetConfig"
        public var config: JSONObject
        public init(config: JSONObject) { self.config = config }
    }

    /// `ok` with the whole new config, or why nothing was stored.
    public struct SetConfigResult: CodableAppMessage, Equatable {
        public static let messageType = "SetConfigResult"
        public var ok: Bool
        public var config: UserConfig?
        public var error: String?
        public var problems: [ConfigProblem]?

        public init(ok: Bool, config: UserConfig? = nil, error: String? = nil, problems: [ConfigProblem]? = nil) {
            self.ok = ok
            self.config = config
            self.error = error
            self.problems = problems
        }
    }

    /// The connection test, of the saved hub or of the URL and token given.
    public struct TestHub: CodableAppMessage, Equatable {
        public static let messageType = "TestHub"
        public var hubUrl: String?
        public var hubToken: String?
        public init(hubUrl: String? = nil, hubToken: String? = nil) {
            self.hubUrl = hubUrl
            self.hubToken = hubToken
        }
    }

    public struct TestHubResult: CodableAppMessage, Equatable {
        public static let messageType = "TestHubResult"
        public struct Lamp: Codable, Equatable, Sendable {
            public var path: String
            public var model: String
            public init(path: String, model: String) {
                self.path = path
                self.model = model
            }
        }

        public var ok: Bool
        public var reachable: Bool
        public var tokenAccepted: Bool?
        /// `direct` or `relay`.
        public var transport: String?
        public var lamps: [Lamp]?
        public var winner: HubWinner?
        public var error: String?

        public init(ok: Bool = false, reachable: Bool = false) {
            self.ok = ok
            self.reachable = reachable
        }
    }

    /// Shows a state (its configured look) or a colour and effect on the lamp for `seconds`.
    public struct TestLamp: CodableAppMessage, Equatable {
        public static let messageType = "TestLamp"
        public var state: LampState?
        /// `#RRGGBB`.
        public var color: String?
        public var effect: LampEffect?
        public var seconds: Int?
        public init(state: LampState? = nil, color: String? = nil, effect: LampEffect? = nil, seconds: Int? = nil) {
            self.state = state
            self.color = color
            self.effect = effect
            self.seconds = seconds
        }
    }

    public struct GetStatus: CodableAppMessage, Equatable {
        public static let messageType = "GetStatus"
        public init() {}
    }

    public struct GetStatusResult: CodableAppMessage, Equatable {
        public static let messageType = "GetStatusResult"
        public var status: SessionStatus
        public init(status: SessionStatus) { self.status = status }
    }

    /// Asks for ``StatusUpdate`` with this request's `src` on every change.
    public struct SubscribeStatus: CodableAppMessage, Equatable {
        public static let messageType = "SubscribeStatus"
        public init() {}
    }

    public struct StatusUpdate: CodableAppMessage, Equatable {
        public static let messageType = "StatusUpdate"
        public var status: SessionStatus
        public init(status: SessionStatus) { self.status = status }
    }

    /// Service → hidden app: do this HTTP request to the hub on the user's PC.
    public struct HubRelayRequest: CodableAppMessage, Equatable {
        public static let messageType = "HubRelayRequest"
        /// `GET` or `POST`.
        public var method: String
        public var url: String
        public var body: String?
        /// Sent as the `http_token` header.
        public var token: String?
        public init(method: String, url: String, body: String? = nil, token: String? = nil) {
            self.method = method
            self.url = url
            self.body = body
            self.token = token
        }
    }

    /// The hub's answer, or why the browser could not fetch it.
    public struct HubRelayResult: CodableAppMessage, Equatable {
        public static let messageType = "HubRelayResult"
        public var status: Int?
        public var body: String?
        public var error: String?
        public init(status: Int? = nil, body: String? = nil, error: String? = nil) {
            self.status = status
            self.body = body
            self.error = error
        }
    }

    /// Service → hidden app: poll the hub on the user's PC with this GET every `intervalMs` and
    /// report (``HubWatchReport``) the first answer, every answer that differs from the last
    /// one reported, and, when nothing changed for `keepaliveMs`, that it still polls. Replaces
    /// the app's earlier watch.
    public struct HubWatch: CodableAppMessage, Equatable {
        public static let messageType = "HubWatch"
        /// Names this watch in its reports.
        public var watch: Int
        public var url: String
        /// Sent as the `http_token` header.
        public var token: String?
        public var intervalMs: Int
        public var keepaliveMs: Int
        public init(watch: Int, url: String, token: String?, intervalMs: Int, keepaliveMs: Int) {
            self.watch = watch
            self.url = url
            self.token = token
            self.intervalMs = intervalMs
            self.keepaliveMs = keepaliveMs
        }
    }

    /// Service → hidden app: stop the watch (when it is still the app's current one).
    public struct HubUnwatch: CodableAppMessage, Equatable {
        public static let messageType = "HubUnwatch"
        public var watch: Int
        public init(watch: Int) { self.watch = watch }
    }

    /// Hidden app → service: the watched hub's answer (`status`, `body`), why it could not be
    /// fetched (`error`), or, with `same`, only that the answer has not changed; `polls`: how
    /// often the app polled since its last report.
    public struct HubWatchReport: CodableAppMessage, Equatable {
        public static let messageType = "HubWatchReport"
        public var watch: Int
        public var status: Int?
        public var body: String?
        public var error: String?
        public var same: Bool?
        public var polls: Int?
        public init(watch: Int, status: Int? = nil, body: String? = nil, error: String? = nil, same: Bool? = nil, polls: Int? = nil) {
            self.watch = watch
            self.status = status
            self.body = body
            self.error = error
            self.same = same
            self.polls = polls
        }
    }

    /// Hidden app → service: a call the phone app reported (`com.innovaphone.phoneinfo`).
    public struct PhoneCall: CodableAppMessage, Equatable {
        public static let messageType = "PhoneCall"
        /// `CallAdded`, `CallUpdated` or `CallRemoved`.
        public var event: String
        /// The phoneinfo message without `mt`: `id`, `guid`, `dir`, `state`, …
        public var call: JSONObject
        public init(event: String, call: JSONObject) {
            self.event = event
            self.call = call
        }
    }

    /// Service → hidden app: a trace line for the browser console.
    public struct Trace: CodableAppMessage, Equatable {
        public static let messageType = "Trace"
        public var line: String
        public init(line: String) { self.line = line }
    }

    /// Service → app, right after the login: who is logged in, and whether licensed.
    public struct SessionInfo: CodableAppMessage, Equatable {
        public static let messageType = "SessionInfo"
        public struct User: Codable, Equatable, Sendable {
            public var domain: String
            public var sip: String
            public var dn: String?
            public init(domain: String, sip: String, dn: String? = nil) {
                self.domain = domain
                self.sip = sip
                self.dn = dn
            }
        }

        /// `config` or `hidden`.
        public var app: String?
        public var licensed: Bool?
        /// The licence the user needs, as the PBX names it.
        public var licence: String?
        public var user: User?
        /// Why the session could not be opened.
        public var error: String?
        public init(app: String? = nil, licensed: Bool? = nil, licence: String? = nil, user: User? = nil, error: String? = nil) {
            self.app = app
            self.licensed = licensed
            self.licence = licence
            self.user = user
            self.error = error
        }
    }

    /// The answer to a refused request, named after it (`<mt>Result`), or a plain `ok`.
    public struct Outcome: Codable, Equatable, Sendable {
        public var ok: Bool
        public var error: String?

        public init(ok: Bool, error: String? = nil) {
            self.ok = ok
            self.error = error
        }

        /// The frame answering `request` with this outcome.
        public func frame(answering request: Frame) -> Frame {
            Frame(mt: request.mt + "Result", src: request.src, fields: (try? JSONValue(encoding: self))?.objectValue ?? JSONObject())
        }
    }
}
