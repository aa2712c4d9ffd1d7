import Busylight
import Foundation
import KuandoSync

/// The hub's `currentpresence` reply: the state that wins the priorities now.
///
/// The manual gives no sample body. The open hub answers (docs/kuandohub-api.md):
///
/// ```json
/// {"runningcommand":{"sender":"MS Teams","eventtype":"Presence","eventname":"Busy",
///                    "action":"Light","parameter":"{\"BlueRgbValue\":0,\"GreenRgbValue\":0,\"RedRgbValue\":100}"}}
/// ```
///
/// with every member null when nothing runs. Reading accepts what real clients cope with:
/// `parameter` as a JSON string or an object, colours as `red`… or `RedRgbValue`… (numbers or
/// numeric strings, at the top of `parameter` or under `color`), `action` inside `parameter`,
/// member names in any case, the whole reply once more wrapped in a JSON string, and an empty
/// body for "nothing runs". Unknown members are ignored; missing ones are nil.
public struct HubRunningCommand: Equatable, Sendable {
    public var sender: String?
    public var eventType: String?
    public var eventName: String?
    public var action: String?
    /// The running command's parameters, as stored by the hub.
    public var parameter: HubJSON?

    public init(
        sender: String?, eventType: String?, eventName: String?, action: String?, parameter: HubJSON?
    ) {
        self.sender = sender
        self.eventType = eventType
        self.eventName = eventName
        self.action = action
        self.parameter = parameter
    }

    /// Nothing runs.
    public static let none = HubRunningCommand(sender: nil, eventType: nil, eventName: nil, action: nil, parameter: nil)

    /// The winner as the sync engine reads it.
    public var winner: HubWinner {
        HubWinner(sender: sender, eventType: eventType, eventName: eventName)
    }

    /// The colour the running command shows, when its parameters name one (0–100 per channel).
    public var color: BusylightColor? {
        guard let parameter else { return nil }
        let holder = parameter["color"] ?? parameter
        let channels = ["Red", "Green", "Blue"].map { holder.first($0 + "RgbValue", $0)?.integer }
        guard channels.contains(where: { $0 != nil }) else { return nil }
        return BusylightColor(red: channels[0] ?? 0, green: channels[1] ?? 0, blue: channels[2] ?? 0)
    }

    /// The reply body the open hub sends.
    public var replyBody: Data {
        let running: HubJSON = [
            "sender": HubJSON(sender), "eventtype": HubJSON(eventType), "eventname": HubJSON(eventName),
            "action": HubJSON(action), "parameter": HubJSON(parameter?.jsonText),
        ]
        return Data(HubJSON.object(["runningcommand": running]).jsonText.utf8)
    }

    /// Reads a `currentpresence` reply; nil when it is not JSON of any shape this reader knows.
    public init?(reply body: Data) {
        guard !Self.isBlank(body) else {
            self = .none
            return
        }
        guard let document = HubJSON(parsing: body).map(Self.unwrapped) else { return nil }
        guard case .object = document else { return nil }
        let running: HubJSON
        switch document["runningcommand"].map(Self.unwrapped) {
        case .object(let members)?: running = .object(members)
        case .null?: running = .null
        case nil where document.first("sender", "parameter", "action") != nil: running = document
        default: return nil
        }
        guard case .object = running else {
            self = .none
            return
        }
        var parameter: HubJSON? = running["parameter"].map(Self.unwrapped)
        if case .object? = parameter {} else { parameter = nil }
        func text(_ key: String) -> String? {
            running[key]?.text.flatMap { $0.isEmpty ? nil : $0 }
        }
        self.init(
            sender: text("sender"), eventType: text("eventtype"), eventName: text("eventname"),
            action: text("action") ?? parameter?["action"]?.text, parameter: parameter)
    }

    /// The ASCII white space: space, tab, line feed, vertical tab, form feed, return.
    private static let asciiBlank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]

    /// Whether the reply is nothing but white space (Unicode's, as Foundation counts it). Any other
    /// ASCII byte settles it at once, as the `{` every JSON reply starts with does; only a reply of
    /// white space and non-ASCII bytes is decoded to look.
    private static func isBlank(_ body: Data) -> Bool {
        if body.contains(where: { $0 < 0x80 && !asciiBlank.contains($0) }) { return false }
        return String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// A JSON string that itself holds JSON, parsed; anything else as it is.
    private static func unwrapped(_ value: HubJSON) -> HubJSON {
        if case .string(let text) = value, let inner = HubJSON(parsing: text), inner != value { return inner }
        return value
    }
}
