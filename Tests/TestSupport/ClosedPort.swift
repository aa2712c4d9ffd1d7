#if canImport(Glibc)
import Glibc
#endif

/// A port on 127.0.0.1 held by a socket that never listens, for "nothing answers there": a
/// connection to it is refused, and while the test holds it nothing else can take the port
/// (another test's server, or a client's own end of a connection, which would make the
/// connection talk to itself). A port that was free a moment ago gives neither promise.
public final class ClosedPort {
    public let port: Int
    private let socket: Int32

    public init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw PortUnavailable(reason: "no socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw PortUnavailable(reason: "could not hold a port on 127.0.0.1: errno \(errno)")
        }
        self.socket = socket
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }
}

public struct PortUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
