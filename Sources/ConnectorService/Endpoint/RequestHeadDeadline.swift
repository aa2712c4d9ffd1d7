import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Closes a connection whose first HTTP request head has not fully arrived within a deadline,
/// answering `408 Request Timeout`: a peer that opens a connection (or starts a websocket
/// upgrade) and trickles its bytes ("slow loris") holds a socket for seconds, not for ever.
///
/// It sits right before the HTTP handlers, so behind TLS it reads the plaintext (in front of the
/// TLS handler it would see only ciphertext, never find the end of a head, and cut every
/// connection after the deadline). It only watches the bytes for the blank line that ends the
/// head; after that it passes everything through untouched (the websocket has its own login
/// deadline, ``ConnectorEndpoint/Limits/loginDeadline``).
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let timeoutResponse = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 52\r\n\r\nthe request head did not arrive in time; try again\r\n"

    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?
    /// The last four bytes seen, to find `\r\n\r\n` across reads.
    private var window: UInt32 = 0
    private var headComplete = false

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headComplete {
            for byte in unwrapInboundIn(data).readableBytesView {
                window = window << 8 | UInt32(byte)
                if window == 0x0D0A_0D0A {
                    headComplete = true
                    timer?.cancel()
                    break
                }
            }
        }
        context.fireChannelRead(data)
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard timer == nil, !headComplete else { return }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            let response = bound.value.channel.allocator.buffer(string: Self.timeoutResponse)
            bound.value.writeAndFlush(NIOAny(response)).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}

/// A server child channel that puts a ``RequestHeadDeadlineHandler`` in front of another's
/// handlers: last in the pipeline as it stands (after a TLS handler, when there is one).
struct RequestHeadDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let deadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadline = self.deadline
        let add: @Sendable () throws -> Void = {
            try channel.pipeline.syncOperations.addHandler(RequestHeadDeadlineHandler(deadline: deadline), position: .last)
        }
        let added = channel.eventLoop.inEventLoop ? channel.eventLoop.makeCompletedFuture(withResultOf: add) : channel.eventLoop.submit(add)
        return added.flatMap { base.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the websocket upgrade of `webSocketRouter`, where each connection must send
    /// its first request head within `requestHeadDeadline`.
    static func http1WebSocketUpgrade<Builder: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: Builder, configuration: WebSocketServerConfiguration, requestHeadDeadline: Duration
    ) -> HTTPServerBuilder where Builder.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        let (seconds, attoseconds) = requestHeadDeadline.components
        let deadline = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return HTTPServerBuilder { responder in
            RequestHeadDeadlineChannel(
                base: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                deadline: deadline)
        }
    }
}
