import AsyncHTTPClient
import Foundation
import NIOCore

/// The direct transport: HTTP with AsyncHTTPClient, connect timeout 2 s, whole request 3 s (a
/// reply whose body still trickles in at the deadline is dropped at its next chunk, so a trickle
/// holds a request for at most twice the timeout).
///
/// At most ``maximumPerHost`` requests go to one host at a time; the others wait their turn
/// (``HostSlots``), and a request's timeout starts when it goes out. Thousands of users whose
/// hubs share a host (a start-up) then all get through instead of timing out in a queue.
///
/// One instance serves any number of hub clients; call ``shutdown()`` once when done with it.
public final class HTTPHubTransport: HubTransport {
    private let client: HTTPClient
    private let requestTimeout: TimeAmount
    private let slots: HostSlots
    /// Requests in flight to one host at once: the connections AsyncHTTPClient keeps per host (8)
    /// and as many again waiting for one.
    public static let maximumPerHost = 16
    /// Replies larger than this are not a hub's (device lists and presences are small).
    private static let maximumBody = 1 << 20

    public init(connectTimeout: Duration = .seconds(2), requestTimeout: Duration = .seconds(3), maximumPerHost: Int = HTTPHubTransport.maximumPerHost) {
        slots = HostSlots(perHost: maximumPerHost)
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .init(connectTimeout), read: .init(requestTimeout))
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.requestTimeout = .init(requestTimeout)
    }

    public func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method == .get ? .GET : .POST
        if let host = request.host {
            outgoing.headers.replaceOrAdd(name: "Host", value: host)
        }
        if let token = request.token, !token.isEmpty {
            outgoing.headers.add(name: HubHTTPRequest.tokenHeader, value: token)
        }
        if let body = request.body {
            outgoing.headers.add(name: "Content-Type", value: "application/json")
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let client = self.client
        let timeout = requestTimeout
        let prepared = outgoing
        return try await slots.withSlot(for: Self.hostKey(prepared.url)) {
            // AsyncHTTPClient holds the exchange to the deadline until the reply's head; the body
            // is held to it here, chunk by chunk, and each gap between chunks to the read timeout.
            // A hub that trickles an endless body is so cut off within timeout + read timeout,
            // with no timer or task of its own per request (a `withTimeout` around the exchange
            // was a sixth of the service's CPU per poll, BENCHMARKS.md).
            let deadline = NIODeadline.now() + timeout
            let response = try await client.execute(prepared, deadline: deadline)
            var body = ByteBuffer()
            for try await chunk in response.body {
                guard body.readableBytes + chunk.readableBytes <= Self.maximumBody else {
                    throw NIOTooManyBytesError(maxBytes: Self.maximumBody)
                }
                body.writeImmutableBuffer(chunk)
                guard NIODeadline.now() <= deadline else { throw HTTPHubTransportError.noCompleteAnswer(within: timeout) }
            }
            return HubHTTPResponse(status: Int(response.status.code), body: Data(body.readableBytesView))
        }
    }

    /// `scheme://host:port` of a URL, as AsyncHTTPClient pools connections.
    static func hostKey(_ url: String) -> String {
        let bytes = url.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) else { return url }
        let start = bytes.index(colon, offsetBy: 3)
        let end = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) ?? bytes.endIndex
        return String(url[..<end])
    }

    /// Closes the connections; the transport cannot be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}

/// Why the direct transport got no usable answer.
public enum HTTPHubTransportError: Error, CustomStringConvertible {
    /// The hub did not finish its answer in time (it may be sending without end).
    case noCompleteAnswer(within: TimeAmount)

    public var description: String {
        switch self {
        case .noCompleteAnswer(let timeout):
            "no complete answer within \(timeout.nanoseconds / 1_000_000) ms"
        }
    }
}

private extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
