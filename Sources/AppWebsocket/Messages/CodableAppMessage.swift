import Foundation

/// A typed message whose fields are its `Codable` properties, for APIs of our own (the apps'
/// API): nothing to write by hand but the properties. Decoding ignores `mt`, `api`, `src` and
/// members it does not know; encoding leaves out properties that are nil.
///
/// ```swift
/// struct Ping: CodableAppMessage { static let messageType = "Ping"; var count: Int }
/// let frame = Frame(Ping(count: 2), src: "7")     // {"mt":"Ping","src":"7","count":2}
/// ```
public protocol CodableAppMessage: AppMessage, Codable {}

extension CodableAppMessage {
    public init(frame: Frame) throws(FrameError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(frame.text.utf8))
        } catch let error as DecodingError {
            throw FrameError(error, messageType: frame.mt)
        } catch {
            throw .notJSON(reason: "\(error)", offset: 0)
        }
    }

    public var fields: JSONObject {
        (try? JSONValue(encoding: self))?.objectValue ?? JSONObject()
    }
}

extension FrameError {
    /// The frame error for a field that `Decodable` could not read, naming the field.
    init(_ error: DecodingError, messageType: String) {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            self = .missingField(prefix.isEmpty ? key.stringValue : prefix + "." + key.stringValue, messageType: messageType)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            self = .wrongType(field: path(context), expected: "\(type)", found: "another type", messageType: messageType)
        case .dataCorrupted(let context):
            self = .wrongType(field: path(context), expected: "a valid value", found: context.debugDescription, messageType: messageType)
        @unknown default:
            self = .wrongType(field: "", expected: "a valid value", found: "\(error)", messageType: messageType)
        }
    }
}
