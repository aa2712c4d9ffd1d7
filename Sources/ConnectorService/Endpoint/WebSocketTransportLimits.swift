import AppWebsocket

/// The websocket frame size the listener accepts: large enough that any AppWebsocket message up to
/// its limit arrives, so the connection can refuse a larger one clearly rather than the socket dropping.
enum WebSocketTransportLimits {
    static let frameBytes = WebSocketTransport.transportFrameBytes
}
