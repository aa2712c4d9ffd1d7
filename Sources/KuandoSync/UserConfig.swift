import Foundation

/// One user's settings, as the config app edits them and the store keeps them.
///
/// Keys are camelCase in JSON (`hubUrl`, `hubToken`, …). A new user gets ``UserConfig/defaults``
/// on the first open. ``problems()`` lists every invalid value; a config with problems is never stored.
public struct UserConfig: Equatable, Sendable, Codable {
    /// Where the user's kuandoHUB listens. `localhost` means the user's own PC (reached through
    /// the hidden myApps app); any other host is a remote hub reached by the service itself.
    public var hubUrl: String
    /// The hub's HTTP access token; only needed for remote hubs. Never logged.
    public var hubToken: String
    /// How often the hub's winning state is read, in milliseconds.
    public var pollIntervalMs: Int
    /// Rule 1 towards the lamp: PBX calls show on the hub.
    public var showCallsOnHub: Bool
    /// A manual myApps presence shows on the hub.
    public var showPresenceOnHub: Bool
    /// A call in a 3rd-party app (via the hub) marks the PBX user on the phone.
    public var hubCallsToPBX: Bool
    /// A presence from the hub (Manual Changer) sets the PBX presence, unless a manual one wins.
    public var hubPresenceToPBX: Bool
    /// Colour, effect and sound per state.
    public var lamp: [LampState: LampAppearance]

    public init(
        hubUrl: String, hubToken: String, pollIntervalMs: Int, showCallsOnHub: Bool, showPresenceOnHub: Bool,
        hubCallsToPBX: Bool, hubPresenceToPBX: Bool, lamp: [LampState: LampAppearance]
    ) {
        self.hubUrl = hubUrl
        self.hubToken = hubToken
        self.pollIntervalMs = pollIntervalMs
        self.showCallsOnHub = showCallsOnHub
        self.showPresenceOnHub = showPresenceOnHub
        self.hubCallsToPBX = hubCallsToPBX
        self.hubPresenceToPBX = hubPresenceToPBX
        self.lamp = lamp
    }

    /// What a user gets on the first open: the local hub, every rule on, ringing and hold blinking.
    public static let defaults = UserConfig(
        hubUrl: "http://localhost:8989/",
        hubToken: "",
        pollIntervalMs: 1000,
        showCallsOnHub: true,
        showPresenceOnHub: true,
        hubCallsToPBX: true,
        hubPresenceToPBX: true,
        lamp: defaultLamp
    )

    public static let defaultLamp: [LampState: LampAppearance] = [
        .ringing: LampAppearance(color: .red, effect: .blink, onTime: 5, offTime: 5),
        .onthephone: LampAppearance(color: .red),
        .held: LampAppearance(color: .orange, effect: .blink, onTime: 15, offTime: 15),
        .busy: LampAppearance(color: .red),
        .away: LampAppearance(color: .yellow),
        .dnd: LampAppearance(color: .purple),
        .lunch: LampAppearance(color: .yellow, effect: .pulse),
        .free: LampAppearance(color: .green),
    ]

    public static let pollIntervalRange = 250...60_000

    /// The appearance for a state, falling back to the default when the config lacks it.
    public func appearance(_ state: LampState) -> LampAppearance {
        lamp[state] ?? UserConfig.defaultLamp[state] ?? LampAppearance(color: .red)
    }

    /// Every invalid value, each naming its key. Empty means valid.
    public func problems() -> [ConfigProblem] {
        var found: [ConfigProblem] = []
        if let problem = HubURL.problem(hubUrl) {
            found.append(ConfigProblem(field: "hubUrl", message: problem))
        }
        if hubToken.count > 256 {
            found.append(ConfigProblem(field: "hubToken", message: "is longer than 256 characters"))
        }
        if hubToken.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            found.append(ConfigProblem(
                field: "hubToken", message: "may hold only visible ASCII characters (no spaces); copy it again from the hub"))
        }
        if !UserConfig.pollIntervalRange.contains(pollIntervalMs) {
            found.append(ConfigProblem(
                field: "pollIntervalMs",
                message: "must be \(UserConfig.pollIntervalRange.lowerBound)–\(UserConfig.pollIntervalRange.upperBound) ms, got \(pollIntervalMs)"))
        }
        for state in LampState.allCases {
            if let appearance = lamp[state] { found += appearance.problems(at: "lamp.\(state.rawValue)") }
        }
        return found
    }
}

extension UserConfig {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case hubUrl, hubToken, pollIntervalMs, showCallsOnHub, showPresenceOnHub, hubCallsToPBX, hubPresenceToPBX, lamp
    }

    /// Decodes a stored or sent config; absent keys take their defaults, so configs written by
    /// older versions stay readable.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let base = UserConfig.defaults
        hubUrl = try values.decodeIfPresent(String.self, forKey: .hubUrl) ?? base.hubUrl
        hubToken = try values.decodeIfPresent(String.self, forKey: .hubToken) ?? base.hubToken
        pollIntervalMs = try values.decodeIfPresent(Int.self, forKey: .pollIntervalMs) ?? base.pollIntervalMs
        showCallsOnHub = try values.decodeIfPresent(Bool.self, forKey: .showCallsOnHub) ?? base.showCallsOnHub
        showPresenceOnHub = try values.decodeIfPresent(Bool.self, forKey: .showPresenceOnHub) ?? base.showPresenceOnHub
        hubCallsToPBX = try values.decodeIfPresent(Bool.self, forKey: .hubCallsToPBX) ?? base.hubCallsToPBX
        hubPresenceToPBX = try values.decodeIfPresent(Bool.self, forKey: .hubPresenceToPBX) ?? base.hubPresenceToPBX
        let sentLamp = try values.decodeIfPresent([LampState: LampAppearance].self, forKey: .lamp) ?? [:]
        lamp = base.lamp.merging(sentLamp) { _, sent in sent }
    }

    /// This config with the keys present in `patch` (a partial config, as `SetConfig` sends)
    /// replaced. Lamp appearances are replaced per state. Throws ``ConfigPatchError`` when a
    /// value has the wrong type or an unknown key is sent, so nothing half-applied is stored.
    public func applying(patch: Data) throws -> UserConfig {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: patch)
        } catch {
            throw ConfigPatchError(problems: [ConfigProblem(field: "config", message: "is not valid JSON")])
        }
        guard let fields = object as? [String: Any] else {
            throw ConfigPatchError(problems: [ConfigProblem(field: "config", message: "must be a JSON object")])
        }
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        let unknown = fields.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw ConfigPatchError(problems: unknown.map { ConfigProblem(field: $0, message: "is not a setting") })
        }
        var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as? [String: Any] ?? [:]
        for (key, value) in fields {
            if key == "lamp", let sentLamp = value as? [String: Any], let ownLamp = merged["lamp"] as? [String: Any] {
                merged["lamp"] = ownLamp.merging(sentLamp) { _, sent in sent }
            } else {
                merged[key] = value
            }
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: merged)
            return try JSONDecoder().decode(UserConfig.self, from: data)
        } catch let error as DecodingError {
            throw ConfigPatchError(problems: [ConfigProblem(decodingError: error)])
        }
    }
}

/// One invalid setting: which key, and what is wrong with it in words an admin understands.
public struct ConfigProblem: Equatable, Sendable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    init(decodingError: DecodingError) {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "config" : names.joined(separator: ".")
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            self.init(field: path(context), message: "has the wrong type; expected \(type)")
        case .valueNotFound(let type, let context):
            self.init(field: path(context), message: "is missing; expected \(type)")
        case .keyNotFound(let key, let context):
            self.init(field: path(context) == "config" ? key.stringValue : path(context) + "." + key.stringValue,
                      message: "is missing")
        case .dataCorrupted(let context):
            self.init(field: path(context), message: context.debugDescription)
        @unknown default:
            self.init(field: "config", message: "could not be read")
        }
    }

    public var description: String { "\(field) \(message)" }
}

/// A `SetConfig` that cannot be applied; nothing was stored.
public struct ConfigPatchError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
