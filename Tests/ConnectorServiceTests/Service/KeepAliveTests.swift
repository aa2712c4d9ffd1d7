import AppWebsocket
import Synchronization
import TestSupport
import Testing

@testable import ConnectorService

@Suite struct KeepAliveTests {
    /// Proxies close a websocket that carries nothing from the service (nginx: after 60 s), so the
    /// service sends `KeepAlive` to an idle connection at its interval, from one timer for all.
    @Test func anIdleConnectionGetsKeepAliveAtEachInterval() async throws {
        try await ServiceRig.run(limits: .init(keepAliveInterval: .seconds(1))) { rig in
            // The service cannot take the connection before the test starts to connect, and the test
            // notices a frame at or after its sending: each lower bound holds whatever the load.
            let connecting = ContinuousClock.now
            try await RawWebSocket.session(port: rig.server.port) { socket in
                _ = try await socket.next(KeepAlive.messageType)
                #expect(ContinuousClock.now - connecting >= .seconds(1), "not before the connection was idle for the interval")
                _ = try await socket.next(KeepAlive.messageType, skipping: socket.frames.count)
                #expect(ContinuousClock.now - connecting >= .seconds(2), "not before it was idle again for the interval")
                #expect(socket.frames.allSatisfy { $0.mt == KeepAlive.messageType })
            }
            #expect(await rig.pbx.state.connected, "the PBX's connection stays up")
        }
    }

    @Test func theSweeperKeepsEachConnectionAliveAndForgetsOneThatClosed() async throws {
        let sweeper = KeepAliveSweeper(tick: .milliseconds(10))
        let (quiet, busy) = (CountingTransport(), CountingTransport())
        let idle = AppWebsocketConnection(transport: quiet, role: .client)
        let other = AppWebsocketConnection(transport: busy, role: .client)
        sweeper.add(idle, every: .milliseconds(50))
        sweeper.add(other, every: .seconds(60))
        #expect(sweeper.count == 2)
        #expect(await eventually { quiet.sent.withLock { $0 } >= 2 }, "KeepAlive again after each interval")
        #expect(busy.sent.withLock { $0 } == 0, "nothing before its own interval")
        await idle.close()
        #expect(await eventually { sweeper.count == 1 }, "a closed connection is forgotten")
        sweeper.remove(other)
        #expect(sweeper.count == 0)
    }
}

/// Counts what a connection sends; its peer sends nothing.
private final class CountingTransport: AppWebsocketTransport {
    let sent = Mutex(0)
    var inbound: AsyncThrowingStream<TransportFrame, any Error> { AsyncThrowingStream { $0.finish() } }
    func send(_ text: String) async throws { sent.withLock { $0 += 1 } }
    func close(_ reason: CloseReason) async {}
}
