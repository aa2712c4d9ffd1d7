/// `com.innovaphone.phoneinfo`: the myApps phone app tells every app that provides this API
/// about the user's calls (13r1 SDK `web1/com.innovaphone.phoneinfo`).
///
/// An event arrives in the app as `{"mt":"ApiRequest","api":"com.innovaphone.phoneinfo",
/// "consumer":…,"src":…,"msg":{"mt":"CallAdded"|"CallUpdated"|"CallRemoved",…}}`; the hidden app
/// hands `msg` to the service as `PhoneCall{event, call}` (``CallEvent/init(event:call:)``).
/// This is not RCC: `id` is a number, `state` a capitalised word, `dir` `"i"` or `"o"`, and the
/// phone API's own `CallInfo` (`{mt, id, guid, html}`, app → phone) shares only the `mt` with
/// RCC's.
public enum PhoneInfo {
    public static let api = "com.innovaphone.phoneinfo"

    /// One call event. Read tolerantly: only the event, `id`, `dir` and `state` are acted on.
    public struct CallEvent: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case added = "CallAdded"
            case updated = "CallUpdated"
            case removed = "CallRemoved"
        }

        public var kind: Kind
        /// The phone app's call id (a number in the SDK's pages), as text.
        public var id: String
        /// The call's GUID, when given.
        public var guid: String?
        /// `"i"` inbound, `"o"` outbound (`CallUpdated` only).
        public var dir: String?
        /// `Setup`, `Dialing`, `Ringback`, `Queued`, `Alerting`, `Connected`, `Holding`, `Held`
        /// or `Disconnected` (`CallUpdated` only).
        public var state: String?

        public init(kind: Kind, id: String, guid: String? = nil, dir: String? = nil, state: String? = nil) {
            self.kind = kind
            self.id = id
            self.guid = guid
            self.dir = dir
            self.state = state
        }

        /// Reads an event from its `mt` and the call's fields; nil when the event is not a call
        /// event or the call has no `id`.
        public init?(event: String, call: JSONObject) {
            guard let kind = Kind(rawValue: event) else { return nil }
            let reader = FieldReader(call, context: event)
            guard let id = reader.looseString("id") else { return nil }
            self.init(kind: kind, id: id, guid: reader.looseString("guid"), dir: reader.looseString("dir"), state: reader.looseString("state"))
        }

        /// Reads the `msg` of an `ApiRequest` (`{"mt":"CallUpdated","id":1,…}`).
        public init?(message: JSONObject) {
            guard case .string(let mt)? = message["mt"] else { return nil }
            self.init(event: mt, call: message)
        }
    }
}
