import Busylight

/// The open hub's arbitration as a plain value: who asks for what, and who wins.
///
/// Each data source holds at most one state per lamp path: its latest lamp command (`Light`,
/// `Blink` …); `Off` withdraws it and `Logout` withdraws everything the source asked for,
/// notifications included. The winner for a lamp is the state ranked highest by the priority
/// lines (earlier line first, then the newer state); a state no enabled line covers is kept
/// but never shows. A notification (`StartNotification`) shows over the winner until stopped.
/// GET commands are booked under the built-in `HTTP` source, `kuandoTimer` under `kuando TIMER`.
public struct HubPriorityBoard: Equatable, Sendable {
    public private(set) var registry: HubRegistry
    /// Lamp states, in the order they were set.
    public private(set) var claims: [HubClaim] = []
    /// Running notifications, in the order they were started.
    public private(set) var notifications: [HubClaim] = []
    private var sequence = 0

    public init(registry: HubRegistry = .defaults) {
        self.registry = registry
    }

    /// Where a request came from: GET requests carry no sender.
    public enum Origin: Sendable {
        case get
        case post
    }

    /// How much the board holds at most, so any client cannot grow the hub's memory (or its
    /// registry file) without end; one lamp state per source and lamp is already the rule.
    public static let maximumClaims = 256
    public static let maximumNotifications = 64
    public static let maximumDataSources = 128
    public static let maximumPriorityLines = 128

    /// Why `request` would take the board over one of its limits; nil when it fits.
    public func refusal(for request: HubRequest) -> String? {
        let sender = request.sender ?? HubRegistry.httpSource
        switch request.action {
        case .light, .alert, .blink, .jingle, .pulse, .colorWithFlash:
            guard claims.count >= Self.maximumClaims, !claims.contains(where: { $0.sender == sender && $0.path == request.path }) else { return nil }
            return "the hub holds \(Self.maximumClaims) lamp states already: a source must withdraw one (Off or Logout) first"
        case .startNotification:
            guard notifications.count >= Self.maximumNotifications, !notifications.contains(where: { $0.isSameEvent(sender: sender, request) }) else {
                return nil
            }
            return "the hub runs \(Self.maximumNotifications) notifications already: stop one first"
        case .registerDataSource(let source):
            guard registry.dataSources.count >= Self.maximumDataSources, !registry.dataSources.contains(where: { $0.name == source.name }) else {
                return nil
            }
            return "the hub knows \(Self.maximumDataSources) data sources already: remove unused ones from its registry file"
        case .createInitialPriority(let line):
            guard registry.priorities.count >= Self.maximumPriorityLines, !registry.priorities.contains(where: { $0.sender == line.sender }) else {
                return nil
            }
            return "the hub has \(Self.maximumPriorityLines) priority lines already: remove unused ones from its registry file"
        default:
            return nil
        }
    }

    /// Applies `request`; returns true when the registry (the persisted part) changed.
    @discardableResult
    public mutating func apply(_ request: HubRequest, origin: Origin) -> Bool {
        let sender = request.sender ?? HubRegistry.httpSource
        switch request.action {
        case .light, .alert, .blink, .jingle, .pulse, .colorWithFlash:
            let eventType: String?
            let eventName: String?
            if origin == .get {
                eventType = request.action.getEventType
                eventName = request.action.name.postName
            } else {
                eventType = request.eventType
                eventName = request.eventName
            }
            claim(HubClaim(
                sender: sender, eventType: eventType, eventName: eventName, action: request.action, path: request.path,
                parameter: origin == .get ? request.action.getParameterDocument : request.action.postParameter,
                sequence: 0))
        case .off:
            claims.removeAll { $0.sender == sender && (request.path == nil || $0.path == request.path) }
        case .logout:
            claims.removeAll { $0.sender == sender }
            notifications.removeAll { $0.sender == sender }
        case .kuandoTimer(let command):
            applyTimer(command, path: request.path)
        case .registerDataSource(let source):
            return registry.register(source)
        case .createInitialPriority(let line):
            return registry.addInitialPriority(line)
        case .startNotification(let color):
            notifications.removeAll { $0.isSameEvent(sender: sender, request) }
            sequence += 1
            notifications.append(HubClaim(
                sender: sender, eventType: request.eventType, eventName: request.eventName,
                action: .startNotification(color), path: request.path, parameter: request.action.postParameter,
                sequence: sequence))
        case .stopNotification:
            notifications.removeAll { $0.isSameEvent(sender: sender, request) }
        case .currentPresence, .busylightDevices:
            break
        }
        return false
    }

    /// The state that shows on the lamp at `path` (nil: on every lamp, counting only states
    /// meant for every lamp); nil when no state is ranked.
    public func winner(forLampAt path: String? = nil) -> HubClaim? {
        claims
            .filter { $0.path == nil || $0.path == path }
            .compactMap { claim in rank(of: claim).map { (rank: $0, claim: claim) } }
            .min { ($0.rank, -$0.claim.sequence) < ($1.rank, -$1.claim.sequence) }?
            .claim
    }

    /// The index of the first enabled priority line that covers `claim`; nil when none does.
    public func rank(of claim: HubClaim) -> Int? {
        registry.priorities.firstIndex { $0.covers(sender: claim.sender, eventType: claim.eventType, eventName: claim.eventName) }
    }

    /// The newest notification for the lamp at `path`.
    public func notification(forLampAt path: String?) -> HubClaim? {
        notifications.last { $0.path == nil || $0.path == path }
    }

    /// What the lamp at `path` shows: the newest notification, else the winner, else dark.
    public func effect(forLampAt path: String) -> BusylightEffect {
        (notification(forLampAt: path) ?? winner(forLampAt: path))?.action.lampEffect ?? .off
    }

    /// The `currentpresence` answer for the lamp at `path` (or for all lamps).
    public func runningCommand(forLampAt path: String? = nil) -> HubRunningCommand {
        guard let winner = winner(forLampAt: path) else { return .none }
        return HubRunningCommand(
            sender: winner.sender, eventType: winner.eventType, eventName: winner.eventName,
            action: winner.action.name.postName, parameter: winner.parameter)
    }

    private mutating func claim(_ new: HubClaim) {
        claims.removeAll { $0.sender == new.sender && $0.path == new.path }
        sequence += 1
        var claim = new
        claim.sequence = sequence
        claims.append(claim)
    }

    /// Our reading of the timer (the manual names the commands, not what the lamp shows):
    /// running shows red, paused yellow, stopped or reset shows nothing.
    private mutating func applyTimer(_ command: KuandoTimerCommand, path: String?) {
        let sender = HubRegistry.timerSource
        let state: (name: String, color: BusylightColor)
        switch command {
        case .start, .mcontinue: state = ("Running", .red)
        case .pause: state = ("Paused", BusylightColor(red: 100, green: 70, blue: 0))
        case .stop, .reset:
            claims.removeAll { $0.sender == sender && (path == nil || $0.path == path) }
            return
        }
        let action = HubAction.light(state.color)
        claim(HubClaim(
            sender: sender, eventType: "Timer", eventName: state.name, action: action, path: path,
            parameter: action.postParameter, sequence: 0))
    }
}

extension HubAction {
    /// The event type the hub books a GET command under (the built-in `HTTP` source's types).
    var getEventType: String {
        switch self {
        case .alert, .jingle: "Alert"
        default: "Light"
        }
    }
}
