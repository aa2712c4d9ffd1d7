/// PbxTableUsers: replication of the PBX's user objects (`"api":"PbxTableUsers"`).
///
/// `ReplicateStart` → `ReplicateStartResult`; then `ReplicateNext` until a
/// `ReplicateNextResult` without `columns` (initial copy done); later the PBX sends
/// `ReplicateAdd` / `ReplicateUpdate` / `ReplicateDel` on its own.
public enum PbxTableUsers {
    public static let api = "PbxTableUsers"

    /// `ReplicateStart{add, del, columns, pseudo?, guid?, usn?}`.
    public struct ReplicateStart: AppMessage, Equatable {
        public static let messageType = "ReplicateStart"
        public static var api: String? { PbxTableUsers.api }
        public var add: Bool
        public var del: Bool
        /// The columns wanted, `{"guid":{},"cn":{},…}`.
        public var columns: JSONObject
        public var pseudo: [String]?
        public var guid: String?
        public var usn: JSONValue?

        public init(add: Bool = true, del: Bool = true, columns: [String], pseudo: [String]? = nil, guid: String? = nil, usn: JSONValue? = nil) {
            self.add = add
            self.del = del
            self.columns = JSONObject(columns.map { ($0, .object(JSONObject())) })
            self.pseudo = pseudo
            self.guid = guid
            self.usn = usn
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.add = try reader.optionalBool("add") ?? false
            self.del = try reader.optionalBool("del") ?? false
            self.columns = try reader.optionalObject("columns") ?? JSONObject()
            self.pseudo = try reader.optionalArray("pseudo") == nil ? nil : try reader.strings("pseudo")
            self.guid = try reader.optionalString("guid")
            self.usn = frame.object["usn"]
        }

        public var fields: JSONObject {
            var object: JSONObject = ["add": .bool(add), "del": .bool(del), "columns": .object(columns)]
            object["pseudo"] = pseudo.map { .array($0.map(JSONValue.string)) }
            object["guid"] = guid.map(JSONValue.string)
            object["usn"] = usn
            return object
        }
    }

    /// `ReplicateStartResult{columns, guid, usn}`.
    public struct ReplicateStartResult: AppMessage, Equatable {
        public static let messageType = "ReplicateStartResult"
        public static var api: String? { PbxTableUsers.api }
        public var columns: JSONObject?
        public var guid: String?
        public var usn: JSONValue?

        public init(columns: JSONObject? = nil, guid: String? = nil, usn: JSONValue? = nil) {
            self.columns = columns
            self.guid = guid
            self.usn = usn
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.columns = try reader.optionalObject("columns")
            self.guid = try reader.optionalString("guid")
            self.usn = frame.object["usn"]
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["columns"] = columns.map(JSONValue.object)
            object["guid"] = guid.map(JSONValue.string)
            object["usn"] = usn
            return object
        }
    }

    /// `ReplicateNext{}`.
    public struct ReplicateNext: AppMessage, Equatable {
        public static let messageType = "ReplicateNext"
        public static var api: String? { PbxTableUsers.api }
        public init() {}
        public init(frame: Frame) throws(FrameError) {}
        public var fields: JSONObject { JSONObject() }
    }

    /// `ReplicateNextResult{columns?, usn}`: one row, or no `columns` when the copy is complete.
    public struct ReplicateNextResult: AppMessage, Equatable {
        public static let messageType = "ReplicateNextResult"
        public static var api: String? { PbxTableUsers.api }
        public var columns: JSONObject?
        public var usn: JSONValue?

        public init(columns: JSONObject?, usn: JSONValue? = nil) {
            self.columns = columns
            self.usn = usn
        }

        public init(frame: Frame) throws(FrameError) {
            self.columns = try FieldReader(frame).optionalObject("columns")
            self.usn = frame.object["usn"]
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["columns"] = columns.map(JSONValue.object)
            object["usn"] = usn
            return object
        }

        public var isEndOfCopy: Bool { columns == nil }
        public var user: User? { columns.map(User.init(columns:)) }
    }

    /// A row change the PBX sends after the initial copy: `ReplicateAdd`, `ReplicateUpdate` or
    /// `ReplicateDel`, each `{columns}`.
    public struct RowChange: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case add = "ReplicateAdd"
            case update = "ReplicateUpdate"
            case del = "ReplicateDel"
        }

        public var kind: Kind
        public var columns: JSONObject

        public init(kind: Kind, columns: JSONObject) {
            self.kind = kind
            self.columns = columns
        }

        /// Reads a `ReplicateAdd`/`Update`/`Del` frame; nil for any other `mt`.
        public init?(frame: Frame) throws(FrameError) {
            guard let kind = Kind(rawValue: frame.mt) else { return nil }
            self.kind = kind
            self.columns = try FieldReader(frame).optionalObject("columns") ?? JSONObject()
        }

        /// The frame to send for this change.
        public func frame(src: String? = nil) -> Frame {
            Frame(mt: kind.rawValue, api: PbxTableUsers.api, src: src, fields: ["columns": .object(columns)])
        }

        public var user: User { User(columns: columns) }
    }

    /// The common columns of a `users` row.
    public struct User: Sendable, Equatable {
        public var guid: String
        /// The SIP/H.323 name.
        public var h323: String
        public var cn: String
        public var dn: String
        public var e164: String

        public init(guid: String, h323: String, cn: String, dn: String, e164: String) {
            self.guid = guid
            self.h323 = h323
            self.cn = cn
            self.dn = dn
            self.e164 = e164
        }

        /// Reads the columns tolerantly: a real row carries many more (`apps-my` as a
        /// comma-separated string, `cds[].src` as XML text, numbers inside `forks`, empty arrays),
        /// and `e164` is read as text whether it comes as a string or a number.
        public init(columns: JSONObject) {
            let reader = FieldReader(columns, context: "users row")
            self.guid = reader.looseString("guid") ?? ""
            self.h323 = reader.looseString("h323") ?? ""
            self.cn = reader.looseString("cn") ?? ""
            self.dn = reader.looseString("dn") ?? ""
            self.e164 = reader.looseString("e164") ?? ""
        }
    }
}
