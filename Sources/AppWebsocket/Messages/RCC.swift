/// RCC: remote call control and call monitoring (`"api":"RCC"`).
///
/// A service monitors a user with `UserInitialize{cn}` and then receives one ``CallInfo`` per
/// change of each of the user's calls, carrying the `src` of the `UserInitialize`.
public enum RCC {
    public static let api = "RCC"

    /// `Initialize`: asks for the users visible to the App object (``UserInfo`` each, then
    /// ``InitializeResult``, all with the request's `src`).
    public struct Initialize: AppMessage, Equatable {
        public static let messageType = "Initialize"
        public static var api: String? { RCC.api }
        public var grp: Bool?
        public var limit: Int?
        public var calls: Bool?

        public init(grp: Bool? = nil, limit: Int? = nil, calls: Bool? = nil) {
            self.grp = grp
            self.limit = limit
            self.calls = calls
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.grp = try reader.optionalBool("grp")
            self.limit = try reader.optionalInt("limit")
            self.calls = try reader.optionalBool("calls")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["grp"] = grp.map(JSONValue.bool)
            object["limit"] = limit.map(JSONValue.int)
            object["calls"] = calls.map(JSONValue.bool)
            return object
        }
    }

    /// `InitializeResult`: the initial list of ``UserInfo`` is complete.
    public struct InitializeResult: AppMessage, Equatable {
        public static let messageType = "InitializeResult"
        public static var api: String? { RCC.api }
        public init() {}
        public init(frame: Frame) throws(FrameError) {}
        public var fields: JSONObject { JSONObject() }
    }

    /// `UserInfo`: a user the App object may monitor; later ones are updates (`update:"del"`
    /// when the user is gone).
    public struct UserInfo: AppMessage, Equatable {
        public static let messageType = "UserInfo"
        public static var api: String? { RCC.api }
        /// nil for the initial list, `""` for a change, `"del"` for a removal.
        public var update: String?
        public var guid: String
        /// The user object's name; what ``UserInitialize`` takes.
        public var cn: String
        public var dn: String
        /// The SIP/H.323 name.
        public var h323: String
        public var e164: String
        public var node: String?
        public var pbx: String?

        public init(update: String? = nil, guid: String, cn: String, dn: String, h323: String, e164: String, node: String? = nil, pbx: String? = nil) {
            self.update = update
            self.guid = guid
            self.cn = cn
            self.dn = dn
            self.h323 = h323
            self.e164 = e164
            self.node = node
            self.pbx = pbx
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.update = reader.looseString("update")
            self.guid = try reader.string("guid", default: "")
            self.cn = try reader.string("cn", default: "")
            self.h323 = try reader.string("h323", default: "")
            self.dn = reader.looseString("dn") ?? ""
            self.e164 = reader.looseString("e164") ?? ""
            self.node = reader.looseString("node")
            self.pbx = reader.looseString("pbx")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["update"] = update.map(JSONValue.string)
            object["guid"] = .string(guid)
            object["cn"] = .string(cn)
            object["dn"] = .string(dn)
            object["h323"] = .string(h323)
            object["e164"] = .string(e164)
            object["node"] = node.map(JSONValue.string)
            object["pbx"] = pbx.map(JSONValue.string)
            return object
        }

        public var isRemoval: Bool { update == "del" }
    }

    /// `UserInitialize`: start monitoring (and controlling) the user named `cn`.
    public struct UserInitialize: AppMessage, Equatable {
        public static let messageType = "UserInitialize"
        public static var api: String? { RCC.api }
        public var cn: String
        public var xfer: Bool?
        public var disc: Bool?
        public var hw: String?

        public init(cn: String, xfer: Bool? = nil, disc: Bool? = nil, hw: String? = nil) {
            self.cn = cn
            self.xfer = xfer
            self.disc = disc
            self.hw = hw
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.cn = try reader.string("cn")
            self.xfer = try reader.optionalBool("xfer")
            self.disc = try reader.optionalBool("disc")
            self.hw = try reader.optionalString("hw")
        }

        public var fields: JSONObject {
            var object: JSONObject = ["cn": .string(cn)]
            object["xfer"] = xfer.map(JSONValue.bool)
            object["disc"] = disc.map(JSONValue.bool)
            object["hw"] = hw.map(JSONValue.string)
            return object
        }
    }

    /// `UserInitializeResult`: the handle (`user`) every later ``CallInfo`` of this user carries.
    public struct UserInitializeResult: AppMessage, Equatable {
        public static let messageType = "UserInitializeResult"
        public static var api: String? { RCC.api }
        /// The monitoring handle; nil when the PBX refused (unknown user).
        public var user: Int?
        public var error: Int?
        public var errorText: String?

        public init(user: Int?, error: Int? = nil, errorText: String? = nil) {
            self.user = user
            self.error = error
            self.errorText = errorText
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.user = try reader.optionalInt("user")
            self.error = reader.looseInt("error")
            self.errorText = reader.looseString("errorText")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["user"] = user.map(JSONValue.int)
            object["error"] = error.map(JSONValue.int)
            object["errorText"] = errorText.map(JSONValue.string)
            return object
        }
    }

    /// `UserEnd`: stop monitoring the handle.
    public struct UserEnd: AppMessage, Equatable {
        public static let messageType = "UserEnd"
        public static var api: String? { RCC.api }
        public var user: Int

        public init(user: Int) { self.user = user }

        public init(frame: Frame) throws(FrameError) {
            self.user = try FieldReader(frame).int("user")
        }

        public var fields: JSONObject { ["user": .int(user)] }
    }

    /// A party of a call: `{type, cn, dn, h323, e164, norm}`.
    public struct Connector: Sendable, Equatable {
        public var type: String?
        public var cn: String?
        public var dn: String?
        public var h323: String?
        public var e164: String?
        public var norm: String?

        public init(type: String? = nil, cn: String? = nil, dn: String? = nil, h323: String? = nil, e164: String? = nil, norm: String? = nil) {
            self.type = type
            self.cn = cn
            self.dn = dn
            self.h323 = h323
            self.e164 = e164
            self.norm = norm
        }

        /// Every field is read tolerantly: the service does not act on the parties, and real
        /// PBXs send them empty (`"h323":""`) or leave them out.
        init(_ reader: FieldReader) {
            self.type = reader.looseString("type")
            self.cn = reader.looseString("cn")
            self.dn = reader.looseString("dn")
            self.h323 = reader.looseString("h323")
            self.e164 = reader.looseString("e164")
            self.norm = reader.looseString("norm")
        }

        var json: JSONObject {
            var object = JSONObject()
            for (key, value) in [("type", type), ("cn", cn), ("dn", dn), ("h323", h323), ("e164", e164), ("norm", norm)] {
                object[key] = value.map(JSONValue.string)
            }
            return object
        }
    }

    /// An item of `CallInfo.info`: `{type, vali, vals}`, e.g. `{"type":"cause","vali":1,"vals":"Unallocated (unassigned) number"}`.
    public struct CallInfoItem: Sendable, Equatable {
        /// `cause`, `uui`, …
        public var type: String?
        public var vali: Int?
        public var vals: String?

        public init(type: String?, vali: Int? = nil, vals: String? = nil) {
            self.type = type
            self.vali = vali
            self.vals = vals
        }

        init(_ reader: FieldReader) {
            self.type = reader.looseString("type")
            self.vali = reader.looseInt("vali")
            self.vals = reader.looseString("vals")
        }

        var json: JSONObject {
            var object = JSONObject()
            object["type"] = type.map(JSONValue.string)
            object["vali"] = vali.map(JSONValue.int)
            object["vals"] = vals.map(JSONValue.string)
            return object
        }
    }

    /// `CallInfo`: one change of one call of a monitored user.
    ///
    /// The `state` bit field and `msg`/`del` are read by the domain (`KuandoSync`'s
    /// `RCCCallState`, `CallChange.rcc`). The service acts on `user`, `call`, `state`, `msg` and `del`, read with their types; the rest
    /// is read tolerantly. Types as in the SDK's `RCC.htm` (13r1–14r1): `conf` is the call's
    /// GUID, a string shared by all legs of a call; `info` is an array of ``CallInfoItem`` (the
    /// 14r1 field list says object, its example shows an array: both are read); `del:true`
    /// appears in consumer code but on no SDK page.
    public struct CallInfo: AppMessage, Equatable {
        public static let messageType = "CallInfo"
        public static var api: String? { RCC.api }
        /// The monitoring handle from ``UserInitializeResult``.
        public var user: Int
        /// The call's handle, unique per user while the call lasts.
        public var call: Int
        /// The conference id: a GUID (hex string) that all legs of one call share.
        public var conf: String?
        /// The raw `state` bit field.
        public var state: Int
        /// Seconds since the call started (14r1).
        public var time: Int?
        public var peer: Connector?
        public var no: [Connector]
        /// The signalling message that caused the change (`r-setup`, `x-conn`, `update`, `del`…).
        public var msg: String
        /// Additional call information, such as the release cause.
        public var info: [CallInfoItem]
        /// `del:true`, which some PBX versions send instead of, or besides, `msg:"del"`.
        public var del: Bool?

        public init(
            user: Int, call: Int, conf: String? = nil, state: Int, time: Int? = nil, peer: Connector? = nil, no: [Connector] = [], msg: String,
            info: [CallInfoItem] = [], del: Bool? = nil
        ) {
            self.user = user
            self.call = call
            self.conf = conf
            self.state = state
            self.time = time
            self.peer = peer
            self.no = no
            self.msg = msg
            self.info = info
            self.del = del
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.user = try reader.int("user")
            self.call = try reader.int("call")
            self.state = try reader.optionalInt("state") ?? 0
            self.msg = reader.looseString("msg") ?? ""
            self.del = reader.looseBool("del")
            self.conf = reader.looseString("conf")
            self.time = reader.looseInt("time")
            self.peer = reader.looseObject("peer").map { Connector(FieldReader($0, context: frame.mt)) }
            self.no = reader.looseObjects("no").map { Connector(FieldReader($0, context: frame.mt)) }
            self.info = reader.looseObjects("info").map { CallInfoItem(FieldReader($0, context: frame.mt)) }
        }

        public var fields: JSONObject {
            var object: JSONObject = ["user": .int(user), "call": .int(call)]
            object["conf"] = conf.map(JSONValue.string)
            object["state"] = .int(state)
            object["time"] = time.map(JSONValue.int)
            object["peer"] = peer.map { .object($0.json) }
            if !no.isEmpty { object["no"] = .array(no.map { .object($0.json) }) }
            object["msg"] = .string(msg)
            if !info.isEmpty { object["info"] = .array(info.map { .object($0.json) }) }
            object["del"] = del.map(JSONValue.bool)
            return object
        }
    }
}
