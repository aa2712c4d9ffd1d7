/// Why a request on an ``AppWebsocketConnection`` failed.
public enum ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection is closed (or closed while waiting).
    case closed
    /// No answer with the expected `mt` arrived in time.
    case timeout(waitingFor: String, after: Duration)

    public var description: String {
        switch self {
        case .closed:
            "connection closed"
        case .timeout(let waitingFor, let after):
            "no \(waitingFor) within \(after): the peer did not answer; check that it grants the API"
        }
    }
}
