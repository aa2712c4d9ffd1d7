import Foundation

extension JSONValue {
    /// Parses JSON text (any value, not only objects).
    /// - Throws: ``FrameError/notJSON(reason:offset:)``.
    public init(parsing text: String) throws(FrameError) {
        do {
            self = try JSONParser.parse(text).value
        } catch {
            throw .notJSON(reason: error.reason, offset: error.offset)
        }
    }

    /// The JSON form of an `Encodable` value, for putting typed data into a frame.
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        try self.init(parsing: String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Decodes this value as a `Decodable` type (for typed data that arrived in a frame).
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
