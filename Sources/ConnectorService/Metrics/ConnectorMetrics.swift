import CoreMetrics

/// The service's metrics, made through one swift-metrics factory (so each server, and each
/// test, can keep its own registry; `kuando serve` also bootstraps the global one with it).
///
/// Counters and the latency histogram move as hub requests happen (``MeteredHubTransport``);
/// the gauges are read from the sessions when `/metrics` is scraped (``refresh(from:)``), so
/// they are never out of step with the sessions themselves. Every series carries the label
/// `instance` (the PBX domain; empty for the domain-less instance).
///
/// | name | kind | meaning |
/// |---|---|---|
/// | `kuando_pbx_connected` | gauge | PBX links up (0 or 1) |
/// | `kuando_users` | gauge | user sessions |
/// | `kuando_calls_active` | gauge | PBX calls of all users |
/// | `kuando_relay_connections` | gauge | hidden apps connected that can relay to a hub |
/// | `kuando_hub_links_backoff` | gauge | hub links whose hub does not answer; they retry with backoff |
/// | `kuando_hub_requests_total{result}` | counter | hub requests by result: `ok`, `unreachable`, `unauthorized`, `no_busylight`, `rejected`, `bad_reply` |
/// | `kuando_hub_request_duration_seconds` | histogram | time to the hub's answer |
public struct ConnectorMetrics: Sendable {
    static let hubRequestDurationName = "kuando_hub_request_duration_seconds"

    let pbxConnected: Gauge
    let users: Gauge
    let activeCalls: Gauge
    let relayConnections: Gauge
    let hubLinksInBackoff: Gauge
    let hubRequestDuration: Timer
    private let hubRequests: [HubRequestResult: Counter]

    public init(factory: any MetricsFactory, instance: String = "") {
        let dimensions = [("instance", instance)]
        pbxConnected = Gauge(label: "kuando_pbx_connected", dimensions: dimensions, factory: factory)
        users = Gauge(label: "kuando_users", dimensions: dimensions, factory: factory)
        activeCalls = Gauge(label: "kuando_calls_active", dimensions: dimensions, factory: factory)
        relayConnections = Gauge(label: "kuando_relay_connections", dimensions: dimensions, factory: factory)
        hubLinksInBackoff = Gauge(label: "kuando_hub_links_backoff", dimensions: dimensions, factory: factory)
        hubRequestDuration = Timer(label: Self.hubRequestDurationName, dimensions: dimensions, factory: factory)
        var counters: [HubRequestResult: Counter] = [:]
        for result in HubRequestResult.allCases {
            counters[result] = Counter(label: "kuando_hub_requests_total", dimensions: dimensions + [("result", result.rawValue)], factory: factory)
        }
        hubRequests = counters
    }

    /// Counts one hub request and its time to the answer.
    func recordHubRequest(_ result: HubRequestResult, duration: Duration) {
        hubRequests[result]?.increment()
        hubRequestDuration.recordNanoseconds(duration.nanoseconds)
    }

    /// Sets the gauges to 0: the instance is no longer served by this process.
    func zero() {
        for gauge in [pbxConnected, users, activeCalls, relayConnections, hubLinksInBackoff] { gauge.record(0) }
    }

    /// Sets the gauges from what the sessions hold now.
    func refresh(from registry: SessionRegistry) async {
        let activity = await registry.activity()
        pbxConnected.record(registry.pbxLinked ? 1 : 0)
        users.record(activity.users)
        activeCalls.record(activity.calls)
        relayConnections.record(activity.relays)
        hubLinksInBackoff.record(activity.hubLinksInBackoff)
    }
}

/// How a hub request ended, as the `result` label of `kuando_hub_requests_total`; the same
/// classes as ``KuandoHub/HubError``.
enum HubRequestResult: String, CaseIterable, Sendable {
    case ok
    case unreachable
    case unauthorized
    case noBusylight = "no_busylight"
    case rejected
    case badReply = "bad_reply"

    init(status: Int) {
        switch status {
        case 200..<300: self = .ok
        case 401: self = .unauthorized
        case 404: self = .noBusylight
        case 400: self = .rejected
        default: self = .badReply
        }
    }
}
