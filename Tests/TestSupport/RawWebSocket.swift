import AppWebsocket
import HTTPTypes
import Logging
import NIOWebSocket
import WSClient

/// A websocket client that sends any text, for frames a well-behaved peer never sends; what
/// arrives is logged as it comes, so a test waits on the log, not on a timer.
public struct RawWebSocket: Sendable {
    public enum Entry: Sendable, Equatable {
        case text(String)
        case closed
    }

    private let outbound: WebSocketOutboundWriter
    public let received: EventLog<Entry>

    public func send(_ text: String) async throws { try await outbound.write(.text(text)) }

    /// The text frames received so far.
    public var texts: [String] { Self.texts(in: received.entries) }

    /// Whether the other side has closed the socket.
    public var closed: Bool { received.entries.contains(.closed) }

    /// The received text frames that parse as frames.
    public var frames: [Frame] { Self.frames(in: received.entries) }

    private static func texts(in entries: [Entry]) -> [String] {
        entries.compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    private static func frames(in entries: [Entry]) -> [Frame] { texts(in: entries).compactMap { try? Frame(parsing: $0) } }

    /// Waits until a frame with `mt` arrived after the first `skipping` frames, and returns it.
    public func next(_ mt: String, skipping: Int = 0, timeout: Duration = .seconds(10)) async throws -> Frame {
        try await received.waitUntil(timeout: timeout) { entries in
            Self.frames(in: entries).dropFirst(skipping).contains { $0.mt == mt }
        }
        return frames.dropFirst(skipping).first { $0.mt == mt }!
    }

    /// Waits until the other side closed the socket.
    public func waitForClose(timeout: Duration = .seconds(10)) async throws {
        try await received.waitUntil(timeout: timeout) { $0.contains(.closed) }
    }

    /// Connects to `ws://127.0.0.1:<port><path>`, runs `body`, closes the socket if the other
    /// side has not, and returns the other side's close frame if it closed.
    @discardableResult
    public static func session(
        port: Int, path: String = "/kuando/", headers: HTTPFields = [:], _ body: @escaping @Sendable (RawWebSocket) async throws -> Void
    ) async throws -> WebSocketCloseFrame? {
        let logger = Logger(label: "raw-websocket") { _ in SwiftLogNoOpLogHandler() }
        return try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)\(path)", configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: headers), logger: logger
        ) { inbound, outbound, _ in
            let socket = RawWebSocket(outbound: outbound, received: EventLog())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { socket.received.append(.text(text)) }
                        }
                    } catch {}
                    socket.received.append(.closed)
                }
                try await body(socket)
                if !socket.closed { try? await outbound.close(.normalClosure, reason: nil) }
                try await group.waitForAll()
            }
        }
    }
}
