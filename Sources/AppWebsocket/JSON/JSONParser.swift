/// A strict JSON parser that keeps member order, number literals and, for the members of the
/// top-level object, the exact text each value had in the input.
///
/// The raw text is what AppWebsocket needs to check a login digest: `info` is hashed as the
/// characters that arrived, which a decode-and-re-encode would change (key order, escaping).
/// The parser never traps on bad input; it throws ``JSONParser/Failure`` with the byte offset.
struct JSONParser {
    /// Why a text is not JSON, and where.
    struct Failure: Error, Sendable, Equatable {
        var reason: String
        var offset: Int
    }

    /// A parsed document and, when it is an object, where each top-level member's value lies in
    /// the text (UTF-8 offsets, in arrival order; a repeated key appears twice, the last counts).
    struct Document {
        var value: JSONValue
        var rawMembers: [RawMember]
    }

    /// A top-level member's key and the UTF-8 offsets of its value in the parsed text.
    struct RawMember {
        var key: String
        var bytes: Range<Int>
    }

    /// Nesting deeper than this is refused rather than risking the stack.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0

    private init(_ text: String) { self.bytes = Array(text.utf8) }

    static func parse(_ text: String) throws(Failure) -> Document {
        var parser = JSONParser(text)
        var raw: [RawMember] = []
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0, rawMembers: &raw)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return Document(value: value, rawMembers: raw)
    }

    private func failure(_ reason: String) -> Failure { Failure(reason: reason, offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue(depth: Int, rawMembers: inout [RawMember]) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw failure("unexpected end of text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth, rawMembers: &rawMembers))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(Failure) {
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw failure("invalid literal, expected \(literal)") }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int, rawMembers: inout [RawMember]) throws(Failure) -> JSONObject {
        index += 1
        var object = JSONObject()
        var ignored: [RawMember] = []
        if skip(UInt8(ascii: "}")) { return object }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            let start = index
            let value = try parseValue(depth: depth + 1, rawMembers: &ignored)
            if depth == 0 { rawMembers.append(RawMember(key: key, bytes: start..<index)) }
            object[key] = value
            if try endOfElement(UInt8(ascii: "}"), in: "an object") { return object }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> [JSONValue] {
        index += 1
        var values: [JSONValue] = []
        var ignored: [RawMember] = []
        if skip(UInt8(ascii: "]")) { return values }
        while true {
            skipWhitespace()
            values.append(try parseValue(depth: depth + 1, rawMembers: &ignored))
            if try endOfElement(UInt8(ascii: "]"), in: "an array") { return values }
        }
    }

    /// Skips white space, then `close` when it is next (an empty object or array).
    private mutating func skip(_ close: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == close else { return false }
        index += 1
        return true
    }

    /// After a member or element: true past the `close` that ends `container`, false past the
    /// `,` before the next one.
    private mutating func endOfElement(_ close: UInt8, in container: String) throws(Failure) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of text in \(container)") }
        switch bytes[index] {
        case UInt8(ascii: ","): index += 1; return false
        case close: index += 1; return true
        default: throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(container)")
        }
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let first = parser.index
            while parser.index < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index]) {
                parser.index += 1
            }
            return parser.index - first
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits(&self) > 0 else { throw failure("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw failure("invalid number: no digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw failure("invalid number: no digits in the exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var chunkStart = index
        func flush(_ parser: JSONParser, upTo end: Int, into scalars: inout String.UnicodeScalarView) {
            scalars.append(contentsOf: String(decoding: parser.bytes[chunkStart..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                // Without escapes (most strings) the bytes are the string.
                guard !scalars.isEmpty else { return String(decoding: bytes[chunkStart..<index], as: UTF8.self) }
                flush(self, upTo: index, into: &scalars)
                return String(scalars)
            }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush(self, upTo: index, into: &scalars)
            index += 1
            guard index < bytes.count else { throw failure("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"): scalars.append(try parseUnicodeEscape())
            default: throw failure("invalid escape in a string")
            }
            chunkStart = index
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    private mutating func parseUnicodeEscape() throws(Failure) -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800...0xDBFF).contains(high) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("lone surrogate in a \\u escape")
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                throw failure("invalid surrogate pair in a \\u escape")
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw failure("lone surrogate in a \\u escape") }
        return scalar
    }
}
