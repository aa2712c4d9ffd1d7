import AppWebsocket
import Foundation
import HTTPTypes
import Logging
import NIOWebSocket
import Synchronization
import WSClient

/// A websocket client that sends any text to the service, for frames a well-behaved peer never sends.
struct RawWebSocket: Sendable {
    final class Received: Sendable {
        private let state = Mutex<(texts: [String], closed: Bool)>(([], false))
        func append(_ text: String) { state.withLock { $0.texts.append(text) } }
        func close() { state.withLock { $0.closed = true } }
        var texts: [String] { state.withLock { $0.texts } }
        var closed: Bool { state.withLock { $0.closed } }
    }

    let outbound: WebSocketOutboundWriter
    let received: Received

    func send(_ text: String) async throws { try await outbound.write(.text(text)) }

    /// The received text frames that parse as frames.
    var frames: [Frame] { received.texts.compactMap { try? Frame(parsing: $0) } }

    /// Waits (at most 10 s) until a frame with `mt` arrived after the first `skipping` frames, and returns it.
    func next(_ mt: String, skipping: Int = 0) async throws -> Frame {
        let found = await eventually { frames.dropFirst(skipping).contains { $0.mt == mt } }
        guard found, let frame = frames.dropFirst(skipping).first(where: { $0.mt == mt }) else {
            throw RawWebSocketError("no \(mt) arrived; received: \(received.texts)")
        }
        return frame
    }

    /// Waits (at most `timeout`) until the service closed the socket.
    func waitForClose(timeout: Duration = .seconds(10)) async -> Bool {
        await eventually(timeout: timeout) { received.closed }
    }

    /// Connects to the service's websocket, runs `body`, and returns the service's close frame if it closed.
    @discardableResult
    static func session(
        port: Int, headers: HTTPFields = [:], _ body: @escaping @Sendable (RawWebSocket) async throws -> Void
    ) async throws -> WebSocketCloseFrame? {
        let logger = Logger(label: "raw-websocket") { _ in SwiftLogNoOpLogHandler() }
        return try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/kuando/", configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: headers), logger: logger
        ) { inbound, outbound, _ in
            let socket = RawWebSocket(outbound: outbound, received: Received())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { socket.received.append(text) }
                        }
                    } catch {}
                    socket.received.close()
                }
                try await body(socket)
                if !socket.received.closed { try? await outbound.close(.normalClosure, reason: nil) }
                try await group.waitForAll()
            }
        }
    }
}

struct RawWebSocketError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
