/// PbxImpersonation (14r1): act as one user on a PBX API (`"api":"PbxImpersonation"`).
///
/// `CreateApi{sip, target:"PbxApi"}` answers `CreateApiResult{target:"PbxApi.0"}`; messages
/// sent with that `api` act for the user (e.g. ``PbxApi/AddAlienCall``).
public enum PbxImpersonation {
    public static let api = "PbxImpersonation"

    /// `CreateApi{sip, target}`.
    public struct CreateApi: AppMessage, Equatable {
        public static let messageType = "CreateApi"
        public static var api: String? { PbxImpersonation.api }
        public var sip: String
        /// `PbxApi`, `PbxSignal` or `EpSignal`.
        public var target: String

        public init(sip: String, target: String = PbxApi.api) {
            self.sip = sip
            self.target = target
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.sip = try reader.string("sip")
            self.target = try reader.string("target")
        }

        public var fields: JSONObject { ["sip": .string(sip), "target": .string(target)] }
    }

    /// `CreateApiResult{target}`: the `api` to use for the user; nil with an error when refused.
    public struct CreateApiResult: AppMessage, Equatable {
        public static let messageType = "CreateApiResult"
        public static var api: String? { PbxImpersonation.api }
        public var target: String?
        public var error: Int?
        public var errorText: String?

        public init(target: String?, error: Int? = nil, errorText: String? = nil) {
            self.target = target
            self.error = error
            self.errorText = errorText
        }

        public init(frame: Frame) throws(FrameError) {
            let reader = FieldReader(frame)
            self.target = try reader.optionalString("target")
            self.error = reader.looseInt("error")
            self.errorText = reader.looseString("errorText")
        }

        public var fields: JSONObject {
            var object = JSONObject()
            object["target"] = target.map(JSONValue.string)
            object["error"] = error.map(JSONValue.int)
            object["errorText"] = errorText.map(JSONValue.string)
            return object
        }
    }

    /// `DeleteApi{target}` → `DeleteApiResult{ok}`.
    public struct DeleteApi: AppMessage, Equatable {
        public static let messageType = "DeleteApi"
        public static var api: String? { PbxImpersonation.api }
        public var target: String

        public init(target: String) { self.target = target }

        public init(frame: Frame) throws(FrameError) {
            self.target = try FieldReader(frame).string("target")
        }

        public var fields: JSONObject { ["target": .string(target)] }
    }
}
