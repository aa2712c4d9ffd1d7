import Busylight
import Foundation

/// The POST form: a JSON object with `action`, `sender`, `eventtype`, `eventname` and
/// `parameter`, where `parameter` is itself a JSON document carried as a string (`""` when the
/// action has none).
///
/// Reading is tolerant where the manual is vague: member names in any case, `parameter` as a
/// string or as an object, colours as `RedRgbValue`… or `red`…, at the top of `parameter` or
/// under `color`, numbers or numeric strings, values above 100 taken as 100, `sound` for
/// `clip`, `path` at the top or inside `parameter`. It is strict where garbage arrives: a body
/// that is not a JSON object, an unknown action, a value that is not a whole number, a lamp
/// command without a sender.
extension HubRequest {
    /// The POST body for this request; nil when the action exists only over GET.
    public var postBody: Data? {
        guard let name = action.name.postName else { return nil }
        var members: [String: HubJSON] = [
            "action": .string(name),
            "sender": HubJSON(sender),
            "eventtype": HubJSON(eventType),
            "eventname": HubJSON(eventName),
            "parameter": .string(action.postParameter.map(\.jsonText) ?? ""),
        ]
        if let path { members["path"] = .string(path) }
        return Data(HubJSON.object(members).jsonText.utf8)
    }

    /// Reads a POST body.
    /// - Throws: ``HubRequestError`` when the body is malformed.
    public init(postBody body: Data) throws {
        guard let document = HubJSON(parsing: body), case .object = document else {
            throw HubRequestError(
                "the body must be a JSON object like {\"action\":\"Light\",\"sender\":\"SDK\",\"eventtype\":\"Light\",\"eventname\":\"Color\",\"parameter\":\"{\\\"RedRgbValue\\\":100}\"}")
        }
        guard let actionText = document["action"]?.text else {
            throw HubRequestError("the body has no \"action\"")
        }
        guard let name = HubActionName(postName: actionText) else {
            let known = HubActionName.allCases.compactMap(\.postName).joined(separator: ", ")
            throw HubRequestError("unknown action \"\(actionText)\"; the hub's POST actions are \(known)")
        }
        func text(_ key: String) throws -> String? {
            guard let value = document[key], !value.isNull else { return nil }
            guard let text = value.text else { throw HubRequestError("\(key) must be a string or null") }
            return text.isEmpty ? nil : text
        }
        let parameter = try Self.parameter(document["parameter"])
        let sender = try text("sender")
        if name.needsSender, sender == nil {
            throw HubRequestError("\(actionText) needs a sender: the data source name it was registered with")
        }
        let path = try text("path") ?? parameter?["path"]?.text
        self.init(
            try HubAction(postName: name, parameter: parameter, sender: sender), sender: sender,
            eventType: try text("eventtype"), eventName: try text("eventname"),
            path: path.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// `parameter` as a JSON tree: a string holding JSON (the manual's form) or an object; nil when empty.
    private static func parameter(_ raw: HubJSON?) throws -> HubJSON? {
        switch raw {
        case nil, .null?: return nil
        case .object?: return raw
        case .string(let text)?:
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
            guard let parsed = HubJSON(parsing: text), case .object = parsed else {
                throw HubRequestError("parameter must be a JSON object written as a string, got \(HubJSON.string(text).jsonText)")
            }
            return parsed
        default:
            throw HubRequestError("parameter must be a JSON object written as a string, got \(raw?.jsonText ?? "")")
        }
    }
}

extension HubActionName {
    /// Commands that book a state (or clear one) under the sender's name.
    var needsSender: Bool {
        switch self {
        case .light, .alert, .blink, .jingle, .pulse, .colorWithFlash, .off, .logout, .startNotification,
            .stopNotification:
            true
        case .kuandoTimer, .registerDataSource, .createInitialPriority, .currentPresence, .busylightDevices: false
        }
    }
}

extension HubAction {
    /// The POST `parameter` document of this action; nil when the manual sends `""`.
    public var postParameter: HubJSON? {
        func color(_ color: BusylightColor) -> HubJSON {
            ["RedRgbValue": HubJSON(Int(color.red)), "GreenRgbValue": HubJSON(Int(color.green)),
             "BlueRgbValue": HubJSON(Int(color.blue))]
        }
        switch self {
        case .light(let value), .startNotification(let value):
            return color(value)
        case .alert(let value, let sound, let volume), .jingle(let value, let sound, let volume):
            return ["color": color(value), "clip": HubJSON(sound), "volume": HubJSON(volume)]
        case .blink(let value, let onTime, let offTime):
            return ["color": color(value), "ontime": HubJSON(onTime), "offtime": HubJSON(offTime)]
        case .pulse(let value):
            return ["color": color(value)]
        case .colorWithFlash(let value, let flash):
            return ["color": color(value), "flash": color(flash)]
        case .registerDataSource(let source):
            return [
                "DataSourceName": .string(source.name),
                "eventnames": .object(source.eventTypes.mapValues { names in
                    ["EventNames": .array(names.eventNames.map(HubJSON.string)), "IsAlertPriority": .bool(names.isAlertPriority)]
                }),
            ]
        case .createInitialPriority(let line):
            return [
                "enabled": .bool(line.enabled), "sender": .string(line.sender), "eventtype": HubJSON(line.eventType),
                "eventnames": .array(line.eventNames.map(HubJSON.string)), "IsAlertPriority": .bool(line.isAlertPriority),
            ]
        case .off, .logout, .stopNotification, .currentPresence, .busylightDevices, .kuandoTimer:
            return nil
        }
    }

    /// Reads a POST action's `parameter`.
    init(postName name: HubActionName, parameter: HubJSON?, sender: String?) throws {
        func color(_ key: String = "color") throws -> BusylightColor {
            // Colours sit under `color` in most examples and at the top for Light; accept both.
            let nested = parameter?[key].flatMap { $0.isNull ? nil : $0 }
            let object = nested ?? (key == "color" ? parameter : nil)
            return try HubAction.color(from: object) { "parameter.\(key).\($0)RgbValue" }
        }
        func number(_ keys: [String], default fallback: Int, maximum: Int) throws -> Int {
            let raw = keys.lazy.compactMap { parameter?[$0] }.first
            return try HubAction.wholeNumber(raw, field: "parameter.\(keys[0])", default: fallback, maximum: maximum)
        }
        switch name {
        case .light: self = .light(try color())
        case .startNotification: self = .startNotification(try color())
        case .pulse: self = .pulse(try color())
        case .alert:
            self = .alert(
                try color(), sound: try number(["clip", "sound"], default: 0, maximum: HubAction.maximumSound),
                volume: try number(["volume"], default: 0, maximum: 100))
        case .jingle:
            self = .jingle(
                try color(), sound: try number(["clip", "sound"], default: 0, maximum: HubAction.maximumSound),
                volume: try number(["volume"], default: 0, maximum: 100))
        case .blink:
            self = .blink(
                try color(), onTime: try number(["ontime"], default: HubAction.defaultBlinkTime, maximum: 255),
                offTime: try number(["offtime"], default: HubAction.defaultBlinkTime, maximum: 255))
        case .colorWithFlash: self = .colorWithFlash(try color(), flash: try color("flash"))
        case .off: self = .off
        case .logout: self = .logout
        case .stopNotification: self = .stopNotification
        case .currentPresence: self = .currentPresence
        case .busylightDevices: self = .busylightDevices
        case .registerDataSource: self = .registerDataSource(try HubDataSource(parameter: parameter))
        case .createInitialPriority:
            self = .createInitialPriority(try HubPriorityLine(parameter: parameter, sender: sender))
        case .kuandoTimer:
            throw HubRequestError("action kuandoTimer exists only over GET")
        }
    }
}

extension HubDataSource {
    /// Reads `RegisterDataSource`'s parameter.
    init(parameter: HubJSON?) throws {
        guard let name = parameter?["DataSourceName"]?.text, !name.isEmpty else {
            throw HubRequestError("RegisterDataSource needs parameter.DataSourceName, the name the source will send as")
        }
        var eventTypes: [String: HubEventTypeNames] = [:]
        switch parameter?["eventnames"] {
        case nil, .null?:
            break
        case .object(let types)?:
            for (type, entry) in types {
                // Each type holds {EventNames:[…], IsAlertPriority:…}; a bare list of names is read too.
                let list = entry["EventNames"] ?? entry
                let problem = HubRequestError("parameter.eventnames.\(type).EventNames must be a list of names")
                guard case .array(let items) = list else { throw problem }
                let names = items.compactMap(\.text)
                guard names.count == items.count else { throw problem }
                let alert = entry["IsAlertPriority"]
                eventTypes[type] = HubEventTypeNames(
                    eventNames: names, isAlertPriority: alert == .bool(true) || alert?.text?.lowercased() == "true")
            }
        default:
            throw HubRequestError("parameter.eventnames must be an object keyed by event type")
        }
        self.init(name: name, eventTypes: eventTypes)
    }
}

extension HubPriorityLine {
    /// Reads `CreateInitialPriority`'s parameter; the sender may also come from the request.
    init(parameter: HubJSON?, sender requestSender: String?) throws {
        guard let sender = parameter?["sender"]?.text ?? requestSender, !sender.isEmpty else {
            throw HubRequestError("CreateInitialPriority needs parameter.sender, the data source to rank")
        }
        var names: [String] = []
        switch parameter?["eventnames"] {
        case nil, .null?: break
        case .array(let items)?:
            names = items.compactMap(\.text)
            guard names.count == items.count else { throw HubRequestError("parameter.eventnames must be a list of names") }
        default: throw HubRequestError("parameter.eventnames must be a list of names")
        }
        func flag(_ key: String, default fallback: Bool) -> Bool {
            guard let value = parameter?[key], !value.isNull else { return fallback }
            return value == .bool(true) || value.text?.lowercased() == "true"
        }
        let eventType = parameter?["eventtype"]?.text
        self.init(
            sender: sender, eventType: eventType?.isEmpty == true ? nil : eventType, eventNames: names,
            enabled: flag("enabled", default: true), isAlertPriority: flag("IsAlertPriority", default: false))
    }
}
