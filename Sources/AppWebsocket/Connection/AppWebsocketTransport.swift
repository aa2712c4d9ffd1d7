/// What the connection needs from a websocket: send a text frame, read inbound frames, close.
///
/// ``WebSocketTransport`` adapts the websocket core used by both the WSClient client and
/// HummingbirdWebSocket's server routes; tests can provide an in-memory one.
public protocol AppWebsocketTransport: Sendable {
    associatedtype Inbound: AsyncSequence<TransportFrame, any Error> & Sendable

    /// The frames the peer sends, ending when the socket closes. Iterated once, by
    /// ``AppWebsocketConnection/run()``; an error thrown here ends the connection (and a
    /// websocket adapter's error tells the socket how to close, e.g. "message too large").
    var inbound: Inbound { get }

    /// Sends one text frame.
    func send(_ text: String) async throws

    /// Closes the socket; later sends fail and ``inbound`` ends.
    func close(_ reason: CloseReason) async
}

/// One inbound websocket message.
public enum TransportFrame: Sendable, Equatable {
    case text(String)
    /// A binary message; AppWebsocket has none, so it is refused.
    case binary(byteCount: Int)
}

/// Why a connection closes, with the websocket close code it maps to.
public struct CloseReason: Sendable, Equatable, CustomStringConvertible {
    /// The RFC 6455 close code.
    public var code: UInt16
    /// Short text sent in the close frame (at most 123 bytes are sent).
    public var text: String

    public init(code: UInt16, text: String) {
        self.code = code
        self.text = text
    }

    /// 1000: done.
    public static let normal = CloseReason(code: 1000, text: "")
    /// 1008: the login was refused.
    public static func loginRefused(_ why: String) -> CloseReason { CloseReason(code: 1008, text: why) }
    /// 1009: a frame exceeded the protocol's size limit.
    public static func tooLarge(_ why: String) -> CloseReason { CloseReason(code: 1009, text: why) }

    public var description: String { text.isEmpty ? "\(code)" : "\(code) \(text)" }
}
