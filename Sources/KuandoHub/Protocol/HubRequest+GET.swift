import Busylight
import Foundation

/// The GET form: `GET /?action=light&red=100&green=0&blue=0`.
///
/// Reading is tolerant where the manual is vague (any case for action and parameter names,
/// colours above 100 taken as 100, unknown parameters ignored) and strict where garbage
/// arrives (a value that is not a whole number, an unknown action, a parameter given twice).
extension HubRequest {
    /// The query string (without `?`) that asks for this request over GET; nil when the action
    /// exists only over POST. The sender and event fields do not travel over GET.
    public var getQuery: String? {
        guard let name = action.name.getName else { return nil }
        var items = [("action", name)] + action.queryItems
        if let path { items.append(("path", path)) }
        return items.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// Reads a GET query (the part after `?`, still URL-encoded).
    ///
    /// Returns nil for a query without `action` (the hub's "are you there" probe, answered
    /// with `{"response":"OK"}`); `accesstoken` is left to the caller's token check.
    /// - Throws: ``HubRequestError`` when the query is malformed.
    public init?(getQuery query: String) throws {
        let items = try Self.queryItems(query)
        var byName: [String: String] = [:]
        for (name, value) in items {
            let key = name.lowercased()
            guard byName[key] == nil else { throw HubRequestError("parameter \(key) is given twice") }
            byName[key] = value
        }
        let path = byName.removeValue(forKey: "path")
        byName.removeValue(forKey: "accesstoken")
        guard let actionText = byName.removeValue(forKey: "action") else {
            if let stray = byName.keys.sorted().first {
                throw HubRequestError("parameter \(stray) needs an action, e.g. ?action=light&red=100")
            }
            return nil
        }
        guard let name = HubActionName(getName: actionText) else {
            let known = HubActionName.allCases.compactMap(\.getName).joined(separator: ", ")
            throw HubRequestError("unknown action \"\(actionText)\"; the hub's GET actions are \(known)")
        }
        let parameters = HubJSON.object(byName.mapValues(HubJSON.string))
        self.init(try HubAction(getName: name, parameters: parameters), path: path.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Splits a raw query into decoded name/value pairs (`+` is a space, as in HTML forms).
    static func queryItems(_ query: String) throws -> [(String, String)] {
        try query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) throws -> String {
                // Most queries (`action=currentpresence`) have nothing to decode.
                guard part.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(part) }
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                guard let decoded = spaced.removingPercentEncoding else {
                    throw HubRequestError("\"\(part)\" in the query is not valid URL encoding")
                }
                return decoded
            }
            return (try decode(parts[0]), parts.count > 1 ? try decode(parts[1]) : "")
        }
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension HubAction {
    /// The GET parameters of this action (without `action` and `path`), in the manual's order.
    public var queryItems: [(String, String)] {
        func color(_ color: BusylightColor, prefix: String = "") -> [(String, String)] {
            [(prefix + "red", String(color.red)), (prefix + "green", String(color.green)), (prefix + "blue", String(color.blue))]
        }
        switch self {
        case .light(let value), .pulse(let value), .startNotification(let value):
            return color(value)
        case .alert(let value, let sound, let volume), .jingle(let value, let sound, let volume):
            return color(value) + [("sound", String(sound)), ("volume", String(volume))]
        case .blink(let value, let onTime, let offTime):
            return color(value) + [("ontime", String(onTime)), ("offtime", String(offTime))]
        case .colorWithFlash(let value, let flash):
            return color(value) + color(flash, prefix: "flash")
        case .kuandoTimer(let command):
            return [("command", command.rawValue)]
        case .off, .logout, .registerDataSource, .createInitialPriority, .stopNotification, .currentPresence,
            .busylightDevices:
            return []
        }
    }

    /// Reads a GET action's parameters (names already lower case, values as strings).
    init(getName name: HubActionName, parameters: HubJSON) throws {
        func color(prefix: String = "") throws -> BusylightColor {
            try HubAction.color(from: parameters, prefix: prefix) { (prefix + $0).lowercased() }
        }
        func number(_ key: String, default fallback: Int, maximum: Int) throws -> Int {
            try HubAction.wholeNumber(parameters[key], field: key, default: fallback, maximum: maximum)
        }
        switch name {
        case .light: self = .light(try color())
        case .pulse: self = .pulse(try color())
        case .alert:
            self = .alert(
                try color(), sound: try number("sound", default: 0, maximum: HubAction.maximumSound),
                volume: try number("volume", default: 0, maximum: 100))
        case .jingle:
            self = .jingle(
                try color(), sound: try number("sound", default: 0, maximum: HubAction.maximumSound),
                volume: try number("volume", default: 0, maximum: 100))
        case .blink:
            self = .blink(
                try color(), onTime: try number("ontime", default: HubAction.defaultBlinkTime, maximum: 255),
                offTime: try number("offtime", default: HubAction.defaultBlinkTime, maximum: 255))
        case .colorWithFlash: self = .colorWithFlash(try color(), flash: try color(prefix: "flash"))
        case .off: self = .off
        case .logout: self = .logout
        case .currentPresence: self = .currentPresence
        case .busylightDevices: self = .busylightDevices
        case .kuandoTimer:
            let text = parameters["command"]?.text ?? ""
            guard let command = KuandoTimerCommand(rawValue: text.lowercased()) else {
                let known = KuandoTimerCommand.allCases.map(\.rawValue).joined(separator: ", ")
                throw HubRequestError("kuandoTimer needs command=\(known.replacingOccurrences(of: ", ", with: "|")), got \"\(text)\"")
            }
            self = .kuandoTimer(command)
        case .registerDataSource, .createInitialPriority, .startNotification, .stopNotification:
            throw HubRequestError("action \(name.postName ?? name.rawValue) exists only over POST")
        }
    }
}

extension HubAction {
    /// A GET command's parameters as `currentpresence` reports them: the query's names with
    /// numbers as numbers, plus `action`, as the Stream Deck plugin reads them.
    var getParameterDocument: HubJSON {
        var members: [String: HubJSON] = ["action": HubJSON(name.getName)]
        for (key, value) in queryItems {
            members[key] = Int(value).map { .number(Double($0)) } ?? .string(value)
        }
        return .object(members)
    }
}
