import Synchronization

/// Open websocket connections per peer address, and how many of them have not logged in yet,
/// so one address cannot hold an unbounded number of sockets (and of login state) open.
///
/// Offices behind one NAT address open two connections per user, so the cap on all
/// connections is high; the cap on connections still waiting for their login is low, as a real
/// peer logs in within milliseconds.
public final class PeerConnectionCounter: Sendable {
    public enum Refusal: Sendable, Equatable, CustomStringConvertible {
        case tooManyConnections(address: String, limit: Int)
        case tooManyPendingLogins(address: String, limit: Int)

        public var description: String {
            switch self {
            case .tooManyConnections(let address, let limit):
                "too many connections from \(address) (at most \(limit)): close some, or raise the limit if a proxy or NAT puts many users behind this address"
            case .tooManyPendingLogins(let address, let limit):
                "too many connections from \(address) that have not logged in yet (at most \(limit)): log in right after connecting"
            }
        }
    }

    private struct Count {
        var open = 0
        var pending = 0
    }

    public let connectionsPerAddress: Int
    public let pendingLoginsPerAddress: Int
    private let counts = Mutex<[String: Count]>([:])

    public init(connectionsPerAddress: Int, pendingLoginsPerAddress: Int) {
        self.connectionsPerAddress = max(connectionsPerAddress, 1)
        self.pendingLoginsPerAddress = max(pendingLoginsPerAddress, 1)
    }

    /// Counts a new connection from `address` as open and not logged in, unless a cap is reached.
    public func open(_ address: String) -> Refusal? {
        counts.withLock { counts in
            var count = counts[address] ?? Count()
            if count.open >= connectionsPerAddress { return .tooManyConnections(address: address, limit: connectionsPerAddress) }
            if count.pending >= pendingLoginsPerAddress { return .tooManyPendingLogins(address: address, limit: pendingLoginsPerAddress) }
            count.open += 1
            count.pending += 1
            counts[address] = count
            return nil
        }
    }

    /// A connection from `address` logged in.
    public func loggedIn(_ address: String) {
        counts.withLock { counts in
            guard var count = counts[address] else { return }
            count.pending = max(count.pending - 1, 0)
            counts[address] = count
        }
    }

    /// A connection from `address` closed; `loggedIn` tells whether it had logged in.
    public func closed(_ address: String, loggedIn: Bool) {
        counts.withLock { counts in
            guard var count = counts[address] else { return }
            count.open -= 1
            if !loggedIn { count.pending = max(count.pending - 1, 0) }
            counts[address] = count.open > 0 ? count : nil
        }
    }

    /// Open connections from `address`, for tests and diagnosis.
    public func openConnections(from address: String) -> Int {
        counts.withLock { $0[address]?.open ?? 0 }
    }
}
