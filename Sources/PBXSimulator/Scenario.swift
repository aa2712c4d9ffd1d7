import AppWebsocket
import Foundation

/// A scripted day for the simulated PBX: users, then timed steps (see docs/pbx-sim-scenario.md).
///
/// ```json
/// {"users":[{"sip":"alice","guid":"…","dn":"Alice","e164":"201"}],
///  "steps":[{"at":1,"action":"incoming-call","user":"alice","from":"0301234","call":"c1"},
///           {"at":2,"action":"hang-up","call":"c1"}]}
/// ```
public struct Scenario: Sendable, Decodable {
    /// Optional PBX settings; flags of `kuando pbx-sim` override them.
    public struct PBX: Sendable, Decodable {
        public var domain: String?
        public var name: String?
        public var grantedAPIs: [String]?
        public var appObjects: [PBXSimulatorConfiguration.AppObject]?
        public var lics: Int?
        public var testMode: Bool?
    }

    /// One timed step.
    public struct Step: Sendable, Decodable {
        /// What happens.
        public enum Action: String, Sendable, Decodable, CaseIterable {
            case incomingCall = "incoming-call"
            case outgoingCall = "outgoing-call"
            case alert
            case connect
            case hold
            case retrieve
            case holdByPeer = "hold-by-peer"
            case retrieveByPeer = "retrieve-by-peer"
            case hangUp = "hang-up"
            case missedCall = "missed-call"
            case presence
            case disconnect
            case reconnect
        }

        /// Seconds after the PBX's login was accepted.
        public var at: Double
        public var action: Action
        public var user: String?
        /// A label naming the call in later steps.
        public var call: String?
        public var from: String?
        public var to: String?
        public var name: String?
        /// For `hang-up`: the peer hangs up (default) or the user does.
        public var byPeer: Bool?
        public var activity: String?
        public var note: String?
    }

    /// Why a scenario cannot run.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing(field: String, step: Int, action: String)
        case unknownCallLabel(String, step: Int)

        public var description: String {
            switch self {
            case .missing(let field, let step, let action): "scenario step \(step) (\(action)) needs \"\(field)\""
            case .unknownCallLabel(let label, let step): "scenario step \(step) names call \"\(label)\", which no earlier step started"
            }
        }
    }

    public var pbx: PBX?
    public var users: [SimulatedUser]
    public var steps: [Step]

    /// Reads a scenario file.
    public static func load(contentsOf url: URL) throws -> Scenario {
        try JSONDecoder().decode(Scenario.self, from: Data(contentsOf: url))
    }

    /// The simulator configuration for this scenario's PBX settings.
    public func configuration(serviceURL: String, password: String) -> PBXSimulatorConfiguration {
        var configuration = PBXSimulatorConfiguration(serviceURL: serviceURL, password: password)
        if let domain = pbx?.domain { configuration.domain = domain }
        if let name = pbx?.name { configuration.pbxName = name }
        if let apis = pbx?.grantedAPIs { configuration.grantedAPIs = apis }
        if let objects = pbx?.appObjects, !objects.isEmpty { configuration.appObjects = objects }
        if let lics = pbx?.lics { configuration.lics = lics }
        if let testMode = pbx?.testMode { configuration.testMode = testMode }
        return configuration
    }

    /// Runs the steps on the simulator, each at its time after `start` on `clock`.
    public func run<C: Clock>(on simulator: PBXSimulator, clock: C = ContinuousClock()) async throws where C.Duration == Duration {
        let start = clock.now
        var calls: [String: Int] = [:]
        for (index, step) in steps.enumerated().sorted(by: { $0.element.at < $1.element.at }) {
            try await clock.sleep(until: start.advanced(by: .milliseconds(Int64(step.at * 1000))), tolerance: nil)
            try await perform(step, number: index + 1, on: simulator, calls: &calls)
        }
    }

    private func perform(_ step: Step, number: Int, on simulator: PBXSimulator, calls: inout [String: Int]) async throws {
        func require(_ value: String?, _ field: String) throws -> String {
            guard let value else { throw Failure.missing(field: field, step: number, action: step.action.rawValue) }
            return value
        }
        func call() throws -> Int {
            let label = try require(step.call, "call")
            guard let id = calls[label] else { throw Failure.unknownCallLabel(label, step: number) }
            return id
        }
        switch step.action {
        case .incomingCall:
            let id = try await simulator.startIncomingCall(to: try require(step.user, "user"), from: try require(step.from, "from"), name: step.name ?? "")
            if let label = step.call { calls[label] = id }
        case .outgoingCall:
            let id = try await simulator.startOutgoingCall(from: try require(step.user, "user"), to: try require(step.to, "to"), name: step.name ?? "")
            if let label = step.call { calls[label] = id }
        case .alert: try await simulator.alert(try call())
        case .connect: try await simulator.connect(try call())
        case .hold: try await simulator.hold(try call())
        case .retrieve: try await simulator.retrieve(try call())
        case .holdByPeer: try await simulator.holdByPeer(try call())
        case .retrieveByPeer: try await simulator.retrieveByPeer(try call())
        case .hangUp: try await simulator.hangUp(try call(), byPeer: step.byPeer ?? true)
        case .missedCall:
            try await simulator.missedCall(to: try require(step.user, "user"), from: try require(step.from, "from"), name: step.name ?? "")
        case .presence:
            try await simulator.changePresenceManually(of: try require(step.user, "user"), activity: step.activity ?? "", note: step.note ?? "")
        case .disconnect: await simulator.disconnect()
        case .reconnect: await simulator.restart()
        }
    }
}
