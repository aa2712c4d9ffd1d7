/// Why a request or a login on an ``AppWebsocketConnection`` failed.
public enum ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection is closed (or closed while waiting).
    case closed
    /// No answer with the expected `mt` arrived in time.
    case timeout(waitingFor: String, after: Duration)
    /// The peer refused the login.
    case loginRefused(errorText: String?)

    public var description: String {
        switch self {
        case .closed:
            "connection closed"
        case .timeout(let waitingFor, let after):
            "no \(waitingFor) within \(after): the peer did not answer; check that it grants the API"
        case .loginRefused(let errorText):
            "login refused\(errorText.map { ": \($0)" } ?? ""); check the App object password and the instance password"
        }
    }
}

/// What a connection did, for logs and for tests that observe a peer.
public enum ConnectionEvent: Sendable {
    case received(Frame)
    case sent(Frame)
    /// A frame was refused; the peer got an error (and, for an oversized one, a close).
    case refused(FrameError)
    /// A login was refused on the server side.
    case loginRefused(String)
    case closed(CloseReason)
}
