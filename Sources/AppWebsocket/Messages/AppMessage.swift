/// A typed AppWebsocket message: its `mt`, its default `api`, and the conversion from and to a
/// ``Frame``'s fields.
public protocol AppMessage: Sendable {
    /// The `mt` this type decodes and encodes.
    static var messageType: String { get }
    /// The `api` it is sent on by default; nil for AppWebsocket's own messages.
    static var api: String? { get }
    /// Decodes the message from a frame whose `mt` is ``messageType``.
    init(frame: Frame) throws(FrameError)
    /// The members to send besides `api`, `mt` and `src`, in order.
    var fields: JSONObject { get }
}

extension AppMessage {
    public static var api: String? { nil }
}

/// Reads typed fields out of a JSON object, naming the message and field in every error.
struct FieldReader {
    let object: JSONObject
    let context: String

    init(_ frame: Frame) {
        self.object = frame.object
        self.context = frame.mt
    }

    init(_ object: JSONObject, context: String) {
        self.object = object
        self.context = context
    }

    private func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> FrameError {
        .wrongType(field: key, expected: expected, found: found.typeName, messageType: context)
    }

    func string(_ key: String) throws(FrameError) -> String {
        guard let value = try optionalString(key) else { throw .missingField(key, messageType: context) }
        return value
    }

    /// A string that AppWebsocket treats as empty when absent (`domain`, `sip`, `guid`, `dn`).
    func string(_ key: String, default defaultValue: String) throws(FrameError) -> String {
        try optionalString(key) ?? defaultValue
    }

    func optionalString(_ key: String) throws(FrameError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw wrongType(key, "string", other)
        }
    }

    func int(_ key: String) throws(FrameError) -> Int {
        guard let value = try optionalInt(key) else { throw .missingField(key, messageType: context) }
        return value
    }

    func optionalInt(_ key: String) throws(FrameError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case let value?:
            guard let int = value.intValue else { throw wrongType(key, "integer", value) }
            return int
        }
    }

    func optionalBool(_ key: String) throws(FrameError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw wrongType(key, "boolean", other)
        }
    }

    func optionalObject(_ key: String) throws(FrameError) -> JSONObject? {
        switch object[key] {
        case nil, .null?: return nil
        case .object(let value)?: return value
        case let other?: throw wrongType(key, "object", other)
        }
    }

    func object(_ key: String) throws(FrameError) -> JSONObject {
        guard let value = try optionalObject(key) else { throw .missingField(key, messageType: context) }
        return value
    }

    func optionalArray(_ key: String) throws(FrameError) -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let value)?: return value
        case let other?: throw wrongType(key, "array", other)
        }
    }

    /// An array of objects, each read by `read`.
    func objects<Element>(_ key: String, _ read: (FieldReader) throws(FrameError) -> Element) throws(FrameError) -> [Element] {
        var result: [Element] = []
        for (index, value) in (try optionalArray(key) ?? []).enumerated() {
            guard case .object(let object) = value else { throw wrongType("\(key)[\(index)]", "object", value) }
            result.append(try read(FieldReader(object, context: context)))
        }
        return result
    }

    func strings(_ key: String) throws(FrameError) -> [String] {
        var result: [String] = []
        for (index, value) in (try optionalArray(key) ?? []).enumerated() {
            guard case .string(let string) = value else { throw wrongType("\(key)[\(index)]", "string", value) }
            result.append(string)
        }
        return result
    }
}
