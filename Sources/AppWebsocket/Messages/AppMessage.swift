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

/// Reads fields out of a JSON object, naming the message and field in every error.
///
/// Two kinds of reads, because real PBXs send more, and other types, than the SDK lists
/// (`real-traffic.md`):
/// - the *typed* reads (``string(_:)``, ``int(_:)``, ``optionalObject(_:)``…) are for the fields a
///   receiver acts on: a field of the wrong type is an error that names it;
/// - the *tolerant* reads (``looseString(_:)``, ``looseInt(_:)``, ``looseObjects(_:)``…) are for
///   fields a receiver keeps but does not act on, and for fields whose type the documentation
///   and real traffic disagree on: they accept every type that has been seen and give nil for
///   anything else, so a surprising value there never rejects a frame.
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

    // MARK: typed

    func string(_ key: String) throws(FrameError) -> String {
        guard let value = try optionalString(key) else { throw .missingField(key, messageType: context) }
        return value
    }

    /// A string that AppWebsocket treats as empty when absent (`domain`, `sip`, `guid`, `dn`).
    func string(_ key: String, default defaultValue: String) throws(FrameError) -> String {
        try optionalString(key) ?? defaultValue
    }

    func optionalString(_ key: String) throws(FrameError) -> String? { try optional(key, "string", \.stringValue) }

    /// An integer: a JSON number, or a string holding one (PBXs write some counters as text).
    func int(_ key: String) throws(FrameError) -> Int {
        guard let value = try optionalInt(key) else { throw .missingField(key, messageType: context) }
        return value
    }

    func optionalInt(_ key: String) throws(FrameError) -> Int? { try optional(key, "integer", Self.integer) }
    func optionalBool(_ key: String) throws(FrameError) -> Bool? { try optional(key, "boolean", \.boolValue) }
    func optionalObject(_ key: String) throws(FrameError) -> JSONObject? { try optional(key, "object", \.objectValue) }

    func object(_ key: String) throws(FrameError) -> JSONObject {
        guard let value = try optionalObject(key) else { throw .missingField(key, messageType: context) }
        return value
    }

    func optionalArray(_ key: String) throws(FrameError) -> [JSONValue]? { try optional(key, "array", \.arrayValue) }

    /// The member as `extract` reads it; nil when absent or `null`, an error naming the
    /// `expected` type when `extract` gives nil.
    private func optional<Value>(_ key: String, _ expected: String, _ extract: (JSONValue) -> Value?) throws(FrameError) -> Value? {
        guard let value = object[key], value != .null else { return nil }
        guard let extracted = extract(value) else { throw wrongType(key, expected, value) }
        return extracted
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

    // MARK: tolerant

    /// A string, or a number's literal text (`"e164":"201"` and `"e164":201` read alike); nil
    /// for anything else.
    func looseString(_ key: String) -> String? {
        switch object[key] {
        case .string(let value)?: value
        case .number(let literal)?: literal
        default: nil
        }
    }

    /// An integer, from a number or a string holding one; nil for anything else.
    func looseInt(_ key: String) -> Int? {
        object[key].flatMap(Self.integer)
    }

    /// A boolean; `1`/`0` and `"true"`/`"false"` read as one; nil for anything else.
    func looseBool(_ key: String) -> Bool? {
        switch object[key] {
        case .bool(let value)?: value
        case .number(let literal)?: Double(literal).map { $0 != 0 }
        case .string("true")?: true
        case .string("false")?: false
        default: nil
        }
    }

    /// An object; nil for anything else.
    func looseObject(_ key: String) -> JSONObject? {
        object[key]?.objectValue
    }

    /// The objects of an array, or a lone object as a list of one (the 13r1 and 14r1 pages
    /// disagree on whether RCC `info` is an array or an object); other elements are skipped.
    func looseObjects(_ key: String) -> [JSONObject] {
        switch object[key] {
        case .object(let object)?: [object]
        case .array(let values)?: values.compactMap(\.objectValue)
        default: []
        }
    }

    /// The strings of an array (numbers as their literal text); other elements are skipped.
    func looseStrings(_ key: String) -> [String] {
        (object[key]?.arrayValue ?? []).compactMap { value in
            switch value {
            case .string(let string): string
            case .number(let literal): literal
            default: nil
            }
        }
    }

    private static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .number: value.intValue
        case .string(let text): Int(text)
        default: nil
        }
    }
}
