import AppWebsocket

/// A transport that ends a connection asking for more than `limit` challenges.
///
/// One login needs one `AppChallenge`, and the service remembers every challenge it issues
/// until it expires; without a limit, one unauthenticated socket could fill that memory. The
/// check runs on the inbound frames before the connection answers them, so a connection never
/// gets more than `limit` challenges.
struct ChallengeLimitedTransport<Base: AppWebsocketTransport>: AppWebsocketTransport {
    let base: Base
    let limit: Int

    var inbound: Inbound { Inbound(base: base, limit: limit) }

    func send(_ text: String) async throws {
        try await base.send(text)
    }

    func close(_ reason: CloseReason) async {
        await base.close(reason)
    }

    struct Inbound: AsyncSequence, Sendable {
        let base: Base
        let limit: Int

        struct AsyncIterator: AsyncIteratorProtocol {
            var frames: Base.Inbound.AsyncIterator
            let base: Base
            let limit: Int
            var challenges = 0

            mutating func next() async throws(any Error) -> TransportFrame? {
                guard let frame = try await frames.next() else { return nil }
                if case .text(let text) = frame, mentionsChallenge(text),
                   let parsed = try? Frame(parsing: text), parsed.api == nil, parsed.mt == AppChallenge.messageType {
                    challenges += 1
                    if challenges > limit {
                        await base.close(.loginRefused("more than \(limit) AppChallenge on one connection: one login needs one challenge"))
                        return nil
                    }
                }
                return frame
            }
        }

        func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(frames: base.inbound.makeAsyncIterator(), base: base, limit: limit)
        }
    }
}

private let challenge = Array(AppChallenge.messageType.utf8)

/// Whether `text` holds the word `AppChallenge`, compared byte by byte: every inbound frame is
/// looked at, and both Foundation's `contains` (through NSString) and the standard library's
/// generic search stood out in the service's profile (BENCHMARKS.md, run K).
private func mentionsChallenge(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        guard bytes.count >= challenge.count else { return false }
        let first = challenge[0]
        for start in 0...(bytes.count - challenge.count) where bytes[start] == first {
            if bytes[start..<(start + challenge.count)].elementsEqual(challenge) { return true }
        }
        return false
    }
}
