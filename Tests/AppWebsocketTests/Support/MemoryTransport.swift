import AppWebsocket
import TestSupport

/// An in-memory transport: the test plays the peer by pushing frames in and reading what was sent.
struct MemoryTransport: AppWebsocketTransport {
    enum Output: Sendable, Equatable {
        case text(String)
        case closed(CloseReason)
    }

    let inbound: AsyncThrowingStream<TransportFrame, any Error>
    private let input: AsyncThrowingStream<TransportFrame, any Error>.Continuation
    let output = EventLog<Output>()

    init() {
        (inbound, input) = AsyncThrowingStream.makeStream()
    }

    /// The peer sends a text frame.
    func push(_ text: String) { input.yield(.text(text)) }
    func push(_ frame: TransportFrame) { input.yield(frame) }
    /// The peer closes.
    func finish() { input.finish() }

    func send(_ text: String) async throws { output.append(.text(text)) }

    func close(_ reason: CloseReason) async {
        output.append(.closed(reason))
        input.finish()
    }

    /// Sent frames, parsed.
    var sentFrames: [Frame] { output.entries.compactMap { if case .text(let text) = $0 { try? Frame(parsing: text) } else { nil } } }

    /// Waits until a sent frame satisfies `condition` and returns it.
    func waitForSent(_ condition: @escaping @Sendable (Frame) -> Bool) async throws -> Frame {
        try await output.waitUntil { entries in
            entries.contains { if case .text(let text) = $0, let frame = try? Frame(parsing: text) { condition(frame) } else { false } }
        }
        return sentFrames.first(where: condition)!
    }
}
