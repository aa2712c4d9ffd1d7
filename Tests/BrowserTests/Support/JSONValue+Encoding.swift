import AppWebsocket
import Foundation

extension JSONValue {
    /// The value as JSON, from any `Encodable` (e.g. a ``UserConfig``) — for frames the fake service sends.
    init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(Bridge.self, from: JSONEncoder().encode(value)).value
    }

    /// Decodes JSON into ``JSONValue``; booleans are tried before numbers so `true` stays a Bool.
    private struct Bridge: Decodable {
        var value: JSONValue

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let bool = try? container.decode(Bool.self) {
                value = .bool(bool)
            } else if let int = try? container.decode(Int.self) {
                value = .int(int)
            } else if let double = try? container.decode(Double.self) {
                value = .number(String(double))
            } else if let string = try? container.decode(String.self) {
                value = .string(string)
            } else if let array = try? container.decode([Bridge].self) {
                value = .array(array.map(\.value))
            } else {
                let object = try container.decode([String: Bridge].self)
                value = .object(JSONObject(object.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) }))
            }
        }
    }
}
