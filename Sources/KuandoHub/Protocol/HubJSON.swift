import Foundation

/// A kuandoHUB JSON document as a tree, read tolerantly: the hub's manual is loose about key
/// case and about whether numbers arrive as numbers or strings, so lookups here forgive both.
///
/// Not AppWebsocket's `JSONValue`, which keeps member order and number literals because the
/// login digest hashes JSON text; here nothing is hashed and lookups forgive case.
public enum HubJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([HubJSON])
    case object([String: HubJSON])

    /// Parses `data`; nil when it is not JSON.
    public init?(parsing data: Data) {
        guard let value = try? JSONDecoder().decode(HubJSON.self, from: data) else { return nil }
        self = value
    }

    /// Parses `text`; nil when it is not JSON.
    public init?(parsing text: String) {
        self.init(parsing: Data(text.utf8))
    }

    /// The member named `key`, compared without regard to case; nil when absent or not an object.
    public subscript(key: String) -> HubJSON? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[key] { return exact }
        let wanted = key.lowercased()
        return members.first { $0.key.lowercased() == wanted }?.value
    }

    /// The first member present among `keys` (each compared without regard to case).
    public func first(_ keys: String...) -> HubJSON? {
        keys.lazy.compactMap { self[$0] }.first
    }

    /// The text of a string, or of a number or bool written as text; nil for null and containers.
    public var text: String? {
        switch self {
        case .string(let value): value
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): String(value)
        case .null, .array, .object: nil
        }
    }

    /// A whole number from a number or numeric string ("50", 50, 50.0); nil otherwise.
    public var integer: Int? {
        switch self {
        case .number(let value):
            guard value == value.rounded(), abs(value) < 1e15 else { return nil }
            return Int(value)
        case .string(let value):
            return Int(value.trimmingCharacters(in: .whitespaces))
        case .bool, .null, .array, .object:
            return nil
        }
    }

    public var isNull: Bool { self == .null }

    /// Compact JSON text with sorted keys, so equal values always read the same: whole numbers
    /// without a fraction, `/` and non-ASCII as they are, a number that is not finite as null.
    /// Written by hand: every hub command's body is this text, and `JSONEncoder` took twice as long.
    public var jsonText: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.isFinite ? text ?? "null" : "null"
        case .string(let value): Self.quoted(value)
        case .array(let values): "[" + values.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { Self.quoted($0) + ":" + (members[$0] ?? .null).jsonText }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest copied in
    /// runs (the bytes escaped are ASCII, so each run ends between characters).
    private static func quoted(_ string: String) -> String {
        var text = "\""
        var run = string.utf8.startIndex
        for index in string.utf8.indices {
            let byte = string.utf8[index]
            let escape: String
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case ..<0x20: escape = "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            default: continue
            }
            text += string[run..<index] + escape
            run = string.utf8.index(after: index)
        }
        text += string[run...]
        return text + "\""
    }
}

extension HubJSON: Codable {
    public init(from decoder: any Decoder) throws {
        // The likeliest kinds first (a hub's replies are objects of strings): every kind tried
        // in vain throws and builds a DecodingError, for every value of every reply.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: HubJSON].self) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .array(try container.decode([HubJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension HubJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: HubJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, HubJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension HubJSON {
    /// `value` as a JSON string, or null when nil.
    public init(_ value: String?) { self = value.map(HubJSON.string) ?? .null }
    /// `value` as a JSON number.
    public init(_ value: Int) { self = .number(Double(value)) }
}
