import NIOWebSocket
import WSCore

/// ``AppWebsocketTransport`` over the websocket core: the `inbound`/`outbound` pair a
/// `WebSocketClient` handler (client side) or a HummingbirdWebSocket `router.ws` handler
/// (server side) receives.
///
/// ```swift
/// router.ws("/") { inbound, outbound, _ in
///     let connection = AppWebsocketConnection(transport: WebSocketTransport(inbound: inbound, outbound: outbound), role: .server(policy))
///     try await connection.run()
/// }
/// ```
/// Configure the websocket's `maxFrameSize` to at least ``transportFrameBytes``, so frames up to
/// the protocol limit pass and larger ones reach the connection, which refuses them clearly.
public struct WebSocketTransport: AppWebsocketTransport {
    /// Bytes a websocket must accept so any frame of 65535 characters fits (4 UTF-8 bytes each).
    public static let transportFrameBytes = Frame.maximumCharacters * 4

    private let inboundStream: WebSocketInboundStream
    private let outbound: WebSocketOutboundWriter

    public init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.inboundStream = inbound
        self.outbound = outbound
    }

    public var inbound: Messages { Messages(messages: inboundStream.messages(maxSize: Self.transportFrameBytes)) }

    public func send(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    public func close(_ reason: CloseReason) async {
        try? await outbound.close(WebSocketErrorCode(codeNumber: Int(reason.code)), reason: String(reason.text.utf8.prefix(123)) ?? "")
    }

    /// The websocket's messages as ``TransportFrame``s.
    public struct Messages: AsyncSequence, Sendable {
        let messages: WebSocketInboundMessageStream

        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: WebSocketInboundMessageStream.AsyncIterator

            public mutating func next() async throws -> TransportFrame? {
                switch try await base.next() {
                case nil: nil
                case .text(let text)?: .text(text)
                case .binary(let buffer)?: .binary(byteCount: buffer.readableBytes)
                }
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: messages.makeAsyncIterator()) }
    }
}
