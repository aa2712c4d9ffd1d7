/// An answer whose only members are `error` and `errorText`, both absent when the request
/// succeeded (PbxApi's `SubscribePresenceResult`, `SetPresenceResult`, `DelAlienCallResult`).
/// Both are read tolerantly: a PBX may send the code as text.
public protocol ErrorResult: AppMessage {
    var error: Int? { get }
    var errorText: String? { get }
    init(error: Int?, errorText: String?)
}

extension ErrorResult {
    public init(frame: Frame) throws(FrameError) {
        let reader = FieldReader(frame)
        self.init(error: reader.looseInt("error"), errorText: reader.looseString("errorText"))
    }

    public var fields: JSONObject {
        var object = JSONObject()
        object["error"] = error.map(JSONValue.int)
        object["errorText"] = errorText.map(JSONValue.string)
        return object
    }

    /// Neither `error` nor `errorText`.
    public var isSuccess: Bool { error == nil && errorText == nil }
}

/// Which answer an ``ErrorOnly`` is: its `mt` and API.
public protocol ErrorOnlyName: Sendable {
    static var messageType: String { get }
    static var api: String? { get }
}

/// An ``ErrorResult`` with no members of its own, named by `Name`
/// (``PbxApi/SetPresenceResult`` is `ErrorOnly<PbxApi.SetPresenceResultName>`).
public struct ErrorOnly<Name: ErrorOnlyName>: ErrorResult, Equatable, Sendable {
    public static var messageType: String { Name.messageType }
    public static var api: String? { Name.api }
    public var error: Int?
    public var errorText: String?

    public init(error: Int? = nil, errorText: String? = nil) {
        self.error = error
        self.errorText = errorText
    }
}
