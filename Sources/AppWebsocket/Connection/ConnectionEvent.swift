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
