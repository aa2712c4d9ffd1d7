/// Why a simulator call failed.
public enum PBXSimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A wait's condition did not hold in time; the text summarises what the PBX saw.
    case timeout(String)
    case unknownUser(String)
    case unknownCall(Int)
    case unknownAppObject(String)

    public var description: String {
        switch self {
        case .timeout(let summary): "condition not met in time; the PBX saw: \(summary)"
        case .unknownUser(let sip): "no user \(sip) on the simulated PBX; add it to the scenario's users"
        case .unknownCall(let id): "no call \(id) on the simulated PBX"
        case .unknownAppObject(let name): "no App object or app named \(name) on the simulated PBX"
        }
    }
}
