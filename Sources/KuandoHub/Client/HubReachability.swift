/// Whether a hub answers, as a plain state machine that reports only changes, so the log gets
/// one line when a hub goes away and one when it is back, never one per try.
///
/// ```swift
/// var link = HubReachability()
/// link.failed(error)      // .becameUnreachable(error): log it
/// link.failed(error)      // nil: still down, stay quiet
/// link.answered()         // .becameReachable(failedAttempts: 2): log it
/// ```
public struct HubReachability: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        /// Nothing sent yet.
        case unknown
        case reachable
        case unreachable
    }

    /// A change worth one log line.
    public enum Change: Equatable, Sendable {
        /// The first answer ever, or the first after an outage of `failedAttempts` tries.
        case becameReachable(failedAttempts: Int)
        case becameUnreachable(HubError)
    }

    public private(set) var status: Status = .unknown
    /// Failed tries since the hub last answered.
    public private(set) var failedAttempts = 0

    public init() {}

    /// The hub answered (any status: a 401 still proves it is there).
    public mutating func answered() -> Change? {
        defer {
            status = .reachable
            failedAttempts = 0
        }
        return status == .reachable ? nil : .becameReachable(failedAttempts: failedAttempts)
    }

    /// The hub did not answer.
    public mutating func failed(_ error: HubError) -> Change? {
        failedAttempts += 1
        defer { status = .unreachable }
        return status == .unreachable ? nil : .becameUnreachable(error)
    }
}
