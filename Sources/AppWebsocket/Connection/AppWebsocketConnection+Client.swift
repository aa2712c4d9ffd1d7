import Logging
import WSClient

extension AppWebsocketConnection {
    /// Opens a websocket to `url` (`ws://…`, `wss://…`) and runs a client-side connection on it
    /// while `session` runs beside it.
    ///
    /// `session` typically registers handlers, logs in and sends the first messages; the
    /// connection keeps serving handlers after it returns. Returns when the socket has closed.
    /// When `session` throws, the connection is closed and the error rethrown.
    ///
    /// ```swift
    /// try await AppWebsocketConnection.connect(to: "ws://127.0.0.1:8080/kuando/", logger: logger) { connection in
    ///     let result = try await connection.login { challenge in … }
    /// }
    /// ```
    public static func connect(
        to url: String, configuration: Configuration = Configuration(), logger: Logger,
        session: @escaping @Sendable (AppWebsocketConnection) async throws -> Void
    ) async throws {
        let socketConfiguration = WebSocketClientConfiguration(maxFrameSize: WebSocketTransport.transportFrameBytes)
        try await WebSocketClient.connect(url: url, configuration: socketConfiguration, logger: logger) { inbound, outbound, _ in
            let connection = AppWebsocketConnection(
                transport: WebSocketTransport(inbound: inbound, outbound: outbound), role: .client, configuration: configuration
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await session(connection)
                    } catch is CancellationError {
                        return
                    } catch {
                        await connection.close(CloseReason(code: 1000, text: "client session ended: \(error)"))
                        throw error
                    }
                }
                try await connection.run()
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }
}
