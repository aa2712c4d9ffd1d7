import AppWebsocket

/// Everything the simulated PBX knows and saw, as one value tests can inspect.
///
/// ``PBXSimulator/waitUntil(timeout:_:)`` hands the current state to a condition each time it
/// changes.
public struct PBXSimulatorState: Sendable {
    /// A frame on the PBX's connection, in the order they passed.
    public struct ObservedFrame: Sendable {
        public enum Direction: String, Sendable {
            /// Sent by the service to the PBX.
            case fromService
            /// Sent by the PBX to the service.
            case toService
        }

        public var direction: Direction
        public var frame: Frame
        /// When the connection reported it: right after parsing a received frame, right after
        /// the write of a sent one returned.
        public var time: ContinuousClock.Instant

        public init(direction: Direction, frame: Frame, time: ContinuousClock.Instant = .now) {
            self.direction = direction
            self.frame = frame
            self.time = time
        }
    }

    /// Something the PBX did on the service's behalf, or on a scripted cue.
    public enum Event: Sendable, Equatable {
        /// The service set a presence with `SetPresence`.
        case presenceSet(sip: String, PbxApi.Presence)
        /// The user changed their presence in myApps (scripted).
        case presenceChangedManually(sip: String, PbxApi.Presence)
        case alienCallAdded(sip: String, id: Int)
        case alienCallRemoved(sip: String, id: Int)
        case impersonationCreated(sip: String, target: String)
        case presenceSubscribed(sip: String)
        case rccInitialized
        case userMonitored(sip: String, handle: Int)
        case userMonitoringEnded(handle: Int)
        case replicationStarted
        case loginRefused(errorText: String?)
        case disconnected(reason: String)
    }

    /// The connection to the service is open (it may not be logged in yet).
    public var connected = false
    /// How many times a connection was opened.
    public var connections = 0
    /// The answer to the PBX's `AppLogin` on the current or last connection.
    public var loginResult: AppLoginResult?
    /// The answer to `AppInfo` on the current or last connection.
    public var appInfoResult: AppInfoResult?
    /// Every frame, unless ``PBXSimulatorConfiguration/recordsFrames`` is off.
    public var frames: [ObservedFrame] = []
    public var events: [Event] = []
    public var users: [String: SimulatedUser] = [:]
    /// Each user's presences, the newest first (`tel:` the user's own, `im:` the client's).
    public var presence: [String: [PbxApi.Presence]] = [:]
    /// Each user's alien calls (AddAlienCall ids).
    public var alienCalls: [String: [Int]] = [:]
    public var calls: [Int: SimulatedCall] = [:]
    /// The last error that ended a connection, for diagnosis.
    public var lastError: String?

    /// Frames the service sent, in order.
    public var framesFromService: [Frame] { frames.filter { $0.direction == .fromService }.map(\.frame) }
    /// Frames the PBX sent, in order.
    public var framesToService: [Frame] { frames.filter { $0.direction == .toService }.map(\.frame) }

    /// The user's own (`tel:`) presence.
    public func telPresence(of sip: String) -> PbxApi.Presence? { presence[sip]?.first { $0.contact == "tel:" } }

    /// Whether the PBX shows the user "on the phone": a connected PBX call or an alien call.
    public func isOnThePhone(_ sip: String) -> Bool {
        !(alienCalls[sip] ?? []).isEmpty || calls.values.contains { $0.user == sip && $0.isConnected }
    }
}
