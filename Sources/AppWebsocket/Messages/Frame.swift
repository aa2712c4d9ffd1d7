/// One AppWebsocket message: a JSON object `{"api"?, "mt", "src"?, …}` in one text frame.
///
/// A frame keeps everything that arrived: unknown message types and unknown fields stay in
/// ``object`` (PBXs add messages over releases), ``text`` is the frame as received, and
/// ``rawText(of:)`` gives the exact text of a top-level member — what the login digest hashes.
///
/// ```swift
/// let frame = try Frame(parsing: #"{"api":"RCC","mt":"CallInfo","user":1,"call":2,"state":133,"msg":"x-conn"}"#)
/// let info = try frame.decode(RCC.CallInfo.self)
/// ```
public struct Frame: Sendable, CustomStringConvertible {
    /// The most characters one message may have; the innovaphone JavaScript runtime refuses more.
    public static let maximumCharacters = 65535

    /// The message type.
    public let mt: String
    /// The sub-protocol (`RCC`, `PbxApi`, `PbxApi.0`, …); nil for AppWebsocket's own messages.
    public let api: String?
    /// The correlation id; a response echoes its request's `src`.
    public let src: String?
    /// The whole object, members in the order they arrived or were set.
    public let object: JSONObject
    /// The frame's text.
    public let text: String
    /// Where each top-level member's value lies in ``text``, for a received frame; nil for a
    /// built one, whose member texts are written from ``object`` when asked (the same characters).
    private let rawMembers: [JSONParser.RawMember]?

    /// Parses a received text frame.
    ///
    /// - Throws: ``FrameError`` when the frame is too long, not JSON, not an object, or has no
    ///   `mt` string. Never traps, whatever the input.
    public init(parsing text: String) throws(FrameError) {
        let characters = text.utf16.count
        guard characters <= Self.maximumCharacters else {
            throw .tooLarge(characters: characters, limit: Self.maximumCharacters)
        }
        let document: JSONParser.Document
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw .notJSON(reason: error.reason, offset: error.offset)
        }
        guard case .object(let object) = document.value else { throw .notAnObject(found: document.value.typeName) }
        guard case .string(let mt)? = object["mt"] else { throw .missingMessageType }
        switch object["api"] {
        case nil, .null?: self.api = nil
        case .string(let api)?: self.api = api
        case let other?: throw .wrongType(field: "api", expected: "string", found: other.typeName, messageType: mt)
        }
        switch object["src"] {
        case nil, .null?: self.src = nil
        case .string(let src)?: self.src = src
        case .number(let literal)?: self.src = literal
        case let other?: throw .wrongType(field: "src", expected: "string", found: other.typeName, messageType: mt)
        }
        self.mt = mt
        self.object = object
        self.text = text
        self.rawMembers = document.rawMembers
    }

    /// Builds a frame to send; members are written `api`, `mt`, `src`, then `fields` in order.
    public init(mt: String, api: String? = nil, src: String? = nil, fields: JSONObject = JSONObject()) {
        var object = JSONObject()
        object["api"] = api.map(JSONValue.string)
        object["mt"] = .string(mt)
        object["src"] = src.map(JSONValue.string)
        for member in fields.members where !["api", "mt", "src"].contains(member.key) {
            object[member.key] = member.value
        }
        self.mt = mt
        self.api = api
        self.src = src
        self.object = object
        self.text = object.text
        self.rawMembers = nil
    }

    /// Builds the frame for a typed message.
    public init<Message: AppMessage>(_ message: Message, api: String? = Message.api, src: String? = nil) {
        self.init(mt: Message.messageType, api: api, src: src, fields: message.fields)
    }

    /// The exact text of a top-level member's value as it arrived (for a built frame: as it is
    /// sent), or nil when the member is absent.
    public func rawText(of key: String) -> String? {
        guard let rawMembers else { return object[key]?.text }
        guard let bytes = rawMembers.last(where: { $0.key == key })?.bytes else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: bytes.lowerBound)
        return String(decoding: utf8[start..<utf8.index(start, offsetBy: bytes.count)], as: UTF8.self)
    }

    /// Decodes the frame as a typed message.
    ///
    /// - Throws: ``FrameError/unexpectedMessageType(expected:found:)`` for another `mt`, or the
    ///   field error of the first field that is missing or of the wrong type.
    public func decode<Message: AppMessage>(_ type: Message.Type) throws(FrameError) -> Message {
        guard mt == Message.messageType else { throw .unexpectedMessageType(expected: Message.messageType, found: mt) }
        return try Message(frame: self)
    }

    /// Whether this frame is a result of the given request type (`mt` + `Result`).
    public func isResult<Message: AppMessage>(of type: Message.Type) -> Bool { mt == Message.messageType + "Result" }

    public var description: String { text }
}
