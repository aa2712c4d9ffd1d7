import AppWebsocket
import Logging
import NIOWebSocket
import TestSupport
import WSClient

/// A websocket client that sends any text, for frames a well-behaved peer would never send.
struct RawClient: Sendable {
    enum Entry: Sendable, Equatable {
        case text(String)
        case closed
    }

    let outbound: WebSocketOutboundWriter
    let received: EventLog<Entry>

    func send(_ text: String) async throws { try await outbound.write(.text(text)) }

    /// Received text frames parsed as frames.
    var frames: [Frame] {
        received.entries.compactMap { if case .text(let text) = $0 { try? Frame(parsing: text) } else { nil } }
    }

    /// Waits for a frame with this `mt`, and returns it.
    func next(_ mt: String, after count: Int = 0) async throws -> Frame {
        try await received.waitUntil { entries in
            entries.compactMap { if case .text(let text) = $0 { try? Frame(parsing: text) } else { nil } }.dropFirst(count).contains { $0.mt == mt }
        }
        return frames.dropFirst(count).first { $0.mt == mt }!
    }

    func waitForClose() async throws { try await received.waitUntil { $0.contains(.closed) } }

    /// Connects, runs `body`, and returns the server's close frame if the server closed.
    @discardableResult
    static func session(port: Int, _ body: @escaping @Sendable (RawClient) async throws -> Void) async throws -> WebSocketCloseFrame? {
        var logger = Logger(label: "raw-client")
        logger.logLevel = .error
        return try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/", configuration: .init(maxFrameSize: 1 << 22), logger: logger
        ) { inbound, outbound, _ in
            let client = RawClient(outbound: outbound, received: EventLog())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { client.received.append(.text(text)) }
                        }
                    } catch {}
                    client.received.append(.closed)
                }
                try await body(client)
                if !client.received.entries.contains(.closed) { try? await outbound.close(.normalClosure, reason: nil) }
                try await group.waitForAll()
            }
        }
    }
}
