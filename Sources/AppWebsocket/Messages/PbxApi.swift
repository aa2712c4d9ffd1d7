/// PbxApi: presence and alien calls (`"api":"PbxApi"`, or `"PbxApi.N"` when acting for a user
/// through ``PbxImpersonation``).
public enum PbxApi {
    public static let api = "PbxApi"

    /// One presence entry: `{contact, status, activity, note}`, and in real traffic also
    /// `displayNote` and `params` (`params.until` in epoch milliseconds, a number).
    ///
    /// `tel:` is what the user set (manual), `im:` the client's online state, `calendar:` a
    /// calendar's. Activities are kept as strings: `""`, `away`, `busy`, `dnd` are documented.
    /// All fields are read tolerantly; only `contact`, `activity` and `note` are acted on.
    public struct Presence: Sendable, Hashable {
        public var contact: String
        public var status: String?
        public var activity: String
        public var note: String
        public var displayNote: String?
        public var params: JSONObject?

        public init(contact: String = "tel:", status: String? = "open", activity: String, note: String = "", displayNote: String? = nil, params: JSONObject? = nil) {
            self.contact = contact
            self.status = status
            self.activity = activity
            self.note = note
            self.displayNote = displayNote
            self.params = params
        }

        init(_ reader: FieldReader) {
            self.contact = reader.looseString("contact") ?? ""
            self.status = reader.looseString("status")
            self.activity = reader.looseString("activity") ?? ""
            self.note = reader.looseString("note") ?? ""
            self.displayNote = reader.looseString("displayNote")
            self.params = reader.looseObject("params")
        }

        var json: JSONObject {
            var object: JSONObject = ["contact": .string(contact)]
            object["status"] = status.map(JSONValue.string)
            object["activity"] = .string(activity)
            object["note"] = .string(note)
            object["displayNote"] = displayNote.map(JSONValue.string)
            object["params"] = params.map(JSONValue.object)
            return object
        }
    }

    /// `SubscribePresence{sip|num}` → `SubscribePresenceResult`, then ``PresenceState`` and
    /// ``PresenceUpdate`` with the subscription's `src`.
    public struct SubscribePresence: AppMessage, Equatable {
        public static let messageType = "SubscribePresence"
        public static var api: String? { PbxApi.api }
        public var sip: String?
        public var num: String?

        public init(sip: String? = nil, num: String? = nil) {
            self.sip = sip
            self.num = num
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.sip = try reader.optionalString("sip")
            self.num = try reader.optionalString("num")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["sip"] = sip.map(JSONValue.string)
            object["num"] = num.map(JSONValue.string)
            return object
        }
    }

    /// `SubscribePresenceResult`.
    public typealias SubscribePresenceResult = ErrorOnly<SubscribePresenceResultName>
    public enum SubscribePresenceResultName: ErrorOnlyName {
        public static let messageType = "SubscribePresenceResult"
        public static var api: String? { PbxApi.api }
    }

    /// `PresenceState`: the watched endpoint is known (`up`) and who it is.
    public struct PresenceState: AppMessage, Equatable {
        public static let messageType = "PresenceState"
        public static var api: String? { PbxApi.api }
        public var up: Bool
        public var sip: String
        public var num: String
        public var dn: String
        public var email: String

        public init(up: Bool, sip: String, num: String, dn: String, email: String = "") {
            self.up = up
            self.sip = sip
            self.num = num
            self.dn = dn
            self.email = email
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.up = reader.looseBool("up") ?? false
            self.sip = reader.looseString("sip") ?? ""
            self.num = reader.looseString("num") ?? ""
            self.dn = reader.looseString("dn") ?? ""
            self.email = reader.looseString("email") ?? ""
        }

        public var fields: JSONObject {
            ["up": .bool(up), "sip": .string(sip), "num": .string(num), "dn": .string(dn), "email": .string(email)]
        }
    }

    /// `PresenceUpdate`: the watched user's presences, the newest first.
    ///
    /// Items are objects (`PbxApi.htm`); the 14r1 JSON schema declares them as strings, which no
    /// real frame shows. Items that are not objects are skipped.
    public struct PresenceUpdate: AppMessage, Equatable {
        public static let messageType = "PresenceUpdate"
        public static var api: String? { PbxApi.api }
        public var presence: [Presence]

        public init(presence: [Presence]) { self.presence = presence }

        public init(frame: Frame) throws(FrameError) {
            self.presence = FieldReader(frame).looseObjects("presence").map { Presence(FieldReader($0, context: frame.mt)) }
        }

        public var fields: JSONObject { ["presence": .array(presence.map { .object($0.json) })] }

        /// The entry to display: the first, newest one.
        public var newest: Presence? { presence.first }
        /// The user's own manual presence (`tel:`), if any.
        public var tel: Presence? { presence.first { $0.contact == "tel:" } }
    }

    /// `SetPresence{sip?, guid?, contact?, activity, note?}` → ``SetPresenceResult``.
    public struct SetPresence: AppMessage, Equatable {
        public static let messageType = "SetPresence"
        public static var api: String? { PbxApi.api }
        public var sip: String?
        public var guid: String?
        /// Omitted by the official `buttons` service; the PBX then writes `tel:`.
        public var contact: String?
        public var activity: String
        public var note: String?

        public init(sip: String? = nil, guid: String? = nil, contact: String? = nil, activity: String, note: String? = nil) {
            self.sip = sip
            self.guid = guid
            self.contact = contact
            self.activity = activity
            self.note = note
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.sip = try reader.optionalString("sip")
            self.guid = try reader.optionalString("guid")
            self.contact = try reader.optionalString("contact")
            self.activity = try reader.string("activity", default: "")
            self.note = try reader.optionalString("note")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["sip"] = sip.map(JSONValue.string)
            object["guid"] = guid.map(JSONValue.string)
            object["contact"] = contact.map(JSONValue.string)
            object["activity"] = .string(activity)
            object["note"] = note.map(JSONValue.string)
            return object
        }
    }

    /// `SetPresenceResult{error?, errorText?}`.
    public typealias SetPresenceResult = ErrorOnly<SetPresenceResultName>
    public enum SetPresenceResultName: ErrorOnlyName {
        public static let messageType = "SetPresenceResult"
        public static var api: String? { PbxApi.api }
    }

    /// `AddAlienCall{}`: marks the connection's user busy on a call on another system (14r1).
    ///
    /// It acts for the connection's user; a service serving many users sends it on the `api`
    /// returned by ``PbxImpersonation/CreateApi``.
    public struct AddAlienCall: AppMessage, Equatable {
        public static let messageType = "AddAlienCall"
        public static var api: String? { PbxApi.api }
        public init() {}
        public init(frame: Frame) throws(FrameError) {}
        public var fields: JSONObject { JSONObject() }
    }

    /// `AddAlienCallResult{id}`; `id` is kept opaque and handed back in ``DelAlienCall``.
    public struct AddAlienCallResult: AppMessage, Equatable {
        public static let messageType = "AddAlienCallResult"
        public static var api: String? { PbxApi.api }
        public var id: JSONValue?
        public var error: Int?
        public var errorText: String?

        public init(id: JSONValue?, error: Int? = nil, errorText: String? = nil) {
            self.id = id
            self.error = error
            self.errorText = errorText
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.id = frame.object["id"]
            self.error = reader.looseInt("error")
            self.errorText = reader.looseString("errorText")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["id"] = id
            object["error"] = error.map(JSONValue.int)
            object["errorText"] = errorText.map(JSONValue.string)
            return object
        }
    }

    /// `DelAlienCall{id}`: ends an alien call.
    public struct DelAlienCall: AppMessage, Equatable {
        public static let messageType = "DelAlienCall"
        public static var api: String? { PbxApi.api }
        public var id: JSONValue

        public init(id: JSONValue) { self.id = id }

        public init(frame: Frame) throws(FrameError) {
            guard let id = frame.object["id"] else { throw .missingField("id", messageType: frame.mt) }
            self.id = id
        }

        public var fields: JSONObject { ["id": id] }
    }

    /// `DelAlienCallResult{}`.
    public typealias DelAlienCallResult = ErrorOnly<DelAlienCallResultName>
    public enum DelAlienCallResultName: ErrorOnlyName {
        public static let messageType = "DelAlienCallResult"
        public static var api: String? { PbxApi.api }
    }
}
