import Foundation
import KuandoHub
import KuandoSync
import Logging
import ServiceLifecycle

/// All user sessions of the service, one per user (PBX domain + GUID), whichever way the user
/// shows up first: announced by the PBX (RCC) or logging in with an app.
///
/// It owns each session's run loop and supervises its hub link: it builds the user's hub
/// client (``makeClient(for:hubUrl:token:)``) and restarts the ``HubPoller`` whenever what it
/// depends on changes (hub URL or token, licence, the hidden app that relays). A session
/// survives PBX reconnects, so a reconnecting PBX never duplicates sessions.
///
/// There is one per instance (``Instance``); when the instance stops being served here
/// (graceful shutdown, removed, taken over), ``shutdown()`` takes no new sessions, sends
/// `Logout` to every hub in use and ends the sessions.
public actor SessionRegistry {
    private struct Entry {
        let session: UserSession
        /// The user's config as last saved; the session gets it as an input, the hub link from here.
        var config: UserConfig
        /// The hub link in its scheduler (``HubPollSchedulers``).
        var hubLink: HubPollScheduler.Ticket?
        var hubClient: HubClient?
        /// Counts hub link (re)starts: a start that awaited a name resolution gives way to a newer one.
        var hubGeneration = 0
        /// Hidden apps of the user that can relay, the newest last.
        var relays: [(id: UUID, channel: any HubRelayChannel)] = []
    }

    public nonisolated let store: any ConfigStore
    public nonisolated let policy: HubNetworkPolicy
    public nonisolated let traces: TraceSink
    public nonisolated let dataSourceName: String
    private let directTransport: any HubTransport
    private let logger: Logger
    private let clock: any Clock<Duration>
    private let metrics: ConnectorMetrics?
    private let pbx = PBXPortSwitch()
    /// Drive every hub link; the instances of one process share them.
    private let pollSchedulers: HubPollSchedulers
    private var alienCalls = true
    private var entries: [UserKey: Entry] = [:]
    /// Set by the shutdown: no new sessions.
    private var closing = false
    private var creating: [UserKey: Task<UserSession, any Error>] = [:]

    public init(
        store: any ConfigStore, policy: HubNetworkPolicy, directTransport: any HubTransport, traces: TraceSink,
        dataSourceName: String = SyncEngine.defaultDataSourceName, clock: any Clock<Duration> = ContinuousClock(), metrics: ConnectorMetrics? = nil,
        pollSchedulers: HubPollSchedulers = HubPollSchedulers(), logger: Logger
    ) {
        self.pollSchedulers = pollSchedulers
        self.store = store
        self.policy = policy
        self.directTransport = directTransport
        self.traces = traces
        self.dataSourceName = dataSourceName
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    public var userCount: Int { entries.count }

    /// What the sessions hold now, for the metrics' gauges.
    public func activity() async -> SessionActivity {
        var activity = SessionActivity(users: entries.count)
        for entry in entries.values {
            activity.relays += entry.relays.count
            let session = await entry.session.activity
            activity.calls += session.calls
            if session.hubDown { activity.hubLinksInBackoff += 1 }
        }
        return activity
    }

    /// Whether a PBX link is up.
    public nonisolated var pbxLinked: Bool { pbx.link != nil }

    /// The user's session, created (with the stored config, defaults on the first open) when new.
    public func session(for key: UserKey) async throws -> UserSession {
        if let entry = entries[key] { return entry.session }
        guard !closing else { throw SessionRegistryError.shuttingDown }
        if let pending = creating[key] { return try await pending.value }
        let task = Task { [store] in try await store.configOrDefaults(for: key) }
        let creation = Task<UserSession, any Error> {
            let config = try await task.value
            return self.install(key, config: config)
        }
        creating[key] = creation
        defer { creating[key] = nil }
        return try await creation.value
    }

    /// The sessions of many users at once, as the PBX announces them: the configs of those that
    /// are new are read in one batch (``ConfigStore/configsOrDefaults(for:)``). A user whose
    /// config cannot be read gets its error; the others their sessions.
    public func sessions(for keys: [UserKey]) async -> [UserKey: Result<UserSession, any Error>] {
        var sessions: [UserKey: Result<UserSession, any Error>] = [:]
        var missing: [UserKey] = []
        for key in keys {
            if let entry = entries[key] {
                sessions[key] = .success(entry.session)
            } else if closing {
                sessions[key] = .failure(SessionRegistryError.shuttingDown)
            } else if creating[key] == nil {
                missing.append(key)
            }
        }
        if !missing.isEmpty {
            do {
                for (key, config) in try await store.configsOrDefaults(for: missing) {
                    sessions[key] = config.map { install(key, config: $0) }.mapError { $0 }
                }
            } catch {
                for key in missing { sessions[key] = .failure(error) }
            }
        }
        // Users a single open was already creating.
        for key in keys where sessions[key] == nil {
            do {
                sessions[key] = .success(try await session(for: key))
            } catch {
                sessions[key] = .failure(error)
            }
        }
        return sessions
    }

    private func install(_ key: UserKey, config: UserConfig) -> UserSession {
        if let entry = entries[key] { return entry.session }
        let traces = self.traces
        let session = UserSession(
            user: key, config: config, pbx: pbx, alienCalls: alienCalls, dataSourceName: dataSourceName,
            adminLog: { traces.logForAdmin($0, for: key) }
        ) { line in
            traces.emit(line, for: key)
        }
        if pbx.link != nil { session.send(.pbxConnected(alienCalls: alienCalls)) }
        entries[key] = Entry(session: session, config: config)
        return session
    }

    public func existingSession(for key: UserKey) -> UserSession? {
        entries[key]?.session
    }

    // MARK: PBX

    /// A PBX link came up: every session forgets its calls (the PBX reports the live ones again)
    /// and puts a running 3rd-party call back on the PBX.
    public func pbxConnected(_ link: PBXLink, alienCalls: Bool) {
        pbx.set(link)
        self.alienCalls = alienCalls
        for entry in entries.values { entry.session.send(.pbxConnected(alienCalls: alienCalls)) }
    }

    public func pbxDisconnected(_ link: PBXLink) {
        pbx.clear(link)
    }

    // MARK: hub

    /// Records the user's licence from an app login; an unlicensed user gets no hub traffic.
    public func setLicensed(_ key: UserKey, _ licensed: Bool) async throws {
        let session = try await session(for: key)
        guard await session.isLicensed != licensed else { return }
        await session.setLicensed(licensed)
        await restartHub(key)
    }

    /// The user saved a new config: the engine gets it, and the hub link follows a changed hub.
    public func configChanged(_ key: UserKey, from old: UserConfig, to new: UserConfig) async {
        guard let session = entries[key]?.session else { return }
        entries[key]?.config = new
        session.send(.config(new))
        if old.hubUrl != new.hubUrl || old.hubToken != new.hubToken || old.pollIntervalMs != new.pollIntervalMs {
            await restartHub(key)
        }
    }

    public func relayConnected(_ key: UserKey, id: UUID, channel: any HubRelayChannel) async {
        entries[key]?.relays.append((id, channel))
        await restartHub(key)
    }

    public func relayDisconnected(_ key: UserKey, id: UUID) async {
        guard let index = entries[key]?.relays.firstIndex(where: { $0.id == id }) else { return }
        let wasActive = index == (entries[key]?.relays.count ?? 0) - 1
        entries[key]?.relays.remove(at: index)
        if wasActive { await restartHub(key) }
    }

    /// The newest hidden app of the user that can relay, if any.
    public func relayChannel(for key: UserKey) -> (any HubRelayChannel)? {
        entries[key]?.relays.last?.channel
    }

    /// A client for `hubUrl` as this user's session would use it, or why there can be none.
    /// The hub's name is resolved off this actor (``HubNetworkPolicy``).
    public func makeClient(for key: UserKey, hubUrl: String, token: String) async throws -> (client: HubClient, transport: String) {
        let made = try await makeLink(for: key, hubUrl: hubUrl, token: token)
        return (made.client, Self.transportName(made.relay))
    }

    /// How the status and the connection test name a link: through the hidden app or not.
    private static func transportName(_ relay: (any HubRelayChannel)?) -> String {
        relay == nil ? "direct" : "relay"
    }

    /// A client for `hubUrl`, with the hidden app it goes through when the hub is relayed.
    private func makeLink(for key: UserKey, hubUrl: String, token: String) async throws -> (client: HubClient, relay: (any HubRelayChannel)?) {
        var transport: any HubTransport
        var relay: (any HubRelayChannel)?
        let baseURL: String
        switch try await policy.route(for: hubUrl) {
        case .relay(let url):
            guard let channel = relayChannel(for: key) else { throw HubRelayError.noHiddenApp }
            transport = RelayHubTransport(channel: channel)
            relay = channel
            baseURL = url.absoluteString
        case .direct(let url, let host):
            transport = NamedHostTransport(base: directTransport, host: host)
            baseURL = url.absoluteString
        }
        if let metrics { transport = MeteredHubTransport(base: transport, metrics: metrics) }
        let configuration = HubClient.Configuration(baseURL: baseURL, token: token.isEmpty ? nil : token, dataSourceName: dataSourceName)
        var hubLogger = logger
        hubLogger[metadataKey: "user"] = "\(key)"
        return (HubClient(configuration: configuration, transport: transport, clock: clock, logger: hubLogger), relay)
    }

    private func restartHub(_ key: UserKey) async {
        guard let entry = entries[key] else { return }
        entry.hubLink?.cancel()
        entries[key]?.hubLink = nil
        entries[key]?.hubClient = nil
        entries[key]?.hubGeneration += 1
        let generation = entries[key]?.hubGeneration
        let session = entry.session
        guard await session.isLicensed else {
            await session.attachHub(nil, transport: nil)
            return
        }
        let config = entry.config
        let made: (client: HubClient, relay: (any HubRelayChannel)?)
        do {
            made = try await makeLink(for: key, hubUrl: config.hubUrl, token: config.hubToken)
            // A newer restart began while the name resolved: it sets the link up.
            guard entries[key]?.hubGeneration == generation else { return }
        } catch HubRelayError.noHiddenApp {
            await session.attachHub(nil, transport: "relay")
            return
        } catch {
            await session.attachHub(nil, transport: nil)
            await session.report(error)
            return
        }
        let transport = Self.transportName(made.relay)
        logger.debug("hub link", metadata: ["user": "\(key)", "url": "\(made.client.displayURL)", "transport": "\(transport)"])
        await session.attachHub(made.client, transport: transport)
        let link = HubPoller(session: session, client: made.client, pollInterval: .milliseconds(config.pollIntervalMs), watcher: made.relay, clock: clock)
        entries[key]?.hubClient = made.client
        entries[key]?.hubLink = (made.relay == nil ? pollSchedulers.direct : pollSchedulers.relayed).add(link)
    }

    /// Takes no new sessions, stops every hub link, sends `Logout` to every hub that was in use,
    /// and ends the sessions.
    public func shutdown() async {
        closing = true
        let all = entries
        entries = [:]
        for entry in all.values { entry.hubLink?.cancel() }
        await withTaskGroup(of: Void.self) { group in
            for entry in all.values {
                guard let client = entry.hubClient else { continue }
                group.addTask { try? await client.logout() }
            }
        }
        for entry in all.values { await entry.session.finish() }
    }
}

/// Why the registry gives no session.
public enum SessionRegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The service is shutting down.
    case shuttingDown

    public var description: String {
        "the service is shutting down: log in again once it is back"
    }
}

/// Why a relayed hub cannot be reached.
public enum HubRelayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No hidden app of the user is connected.
    case noHiddenApp
    /// The hidden app could not fetch the hub (the browser's words).
    case fetchFailed(String)

    public var description: String {
        switch self {
        case .noHiddenApp:
            "the hub on the user's PC is reached through the hidden Connector for kuando app, and it is not running: "
                + "open myApps on that PC (the app starts with myApps when it has the autostart API)"
        case .fetchFailed(let why):
            "the hidden app could not reach the hub on the user's PC (\(why)): is kuandoHUB running with its HTTP server enabled?"
        }
    }
}

/// Counts over all sessions, as `/metrics` shows them.
public struct SessionActivity: Equatable, Sendable {
    public var users: Int
    public var calls = 0
    public var relays = 0
    /// Users whose hub link is set up but whose hub does not answer (the link retries with backoff).
    public var hubLinksInBackoff = 0
}
