/// Why a websocket text frame is not a usable AppWebsocket message.
///
/// Decoding never traps: every malformed frame ends in one of these, and ``description`` says
/// what arrived and what was expected, so a peer (or an admin reading the log) can act on it.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame is longer than the innovaphone runtime accepts (65535 characters).
    case tooLarge(characters: Int, limit: Int)
    /// The frame is not JSON text.
    case notJSON(reason: String, offset: Int)
    /// The frame is JSON, but not an object.
    case notAnObject(found: String)
    /// The object has no `mt` string.
    case missingMessageType
    /// A field the message needs is absent.
    case missingField(String, messageType: String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String, found: String, messageType: String)
    /// A typed decode was asked for a frame of another message type.
    case unexpectedMessageType(expected: String, found: String)
    /// A binary websocket frame arrived; AppWebsocket is text only.
    case binaryFrame

    public var description: String {
        switch self {
        case .tooLarge(let characters, let limit):
            "frame of \(characters) characters refused: AppWebsocket messages are limited to \(limit) characters"
        case .notJSON(let reason, let offset):
            "frame is not JSON (\(reason) at byte \(offset))"
        case .notAnObject(let found):
            "frame is a JSON \(found); AppWebsocket messages are JSON objects {\"mt\":…}"
        case .missingMessageType:
            "frame has no \"mt\" string; every AppWebsocket message names its type in \"mt\""
        case .missingField(let field, let messageType):
            "\(messageType) lacks the field \"\(field)\""
        case .wrongType(let field, let expected, let found, let messageType):
            "\(messageType): field \"\(field)\" must be a \(expected), found a \(found)"
        case .unexpectedMessageType(let expected, let found):
            "expected a \(expected) message, found \(found)"
        case .binaryFrame:
            "binary frame refused: AppWebsocket messages are JSON text frames"
        }
    }
}
