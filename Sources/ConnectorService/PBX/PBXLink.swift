import AppWebsocket
import KuandoSync
import Logging
import Timing

/// The service's side of the PBX's connection (AppWebsocket flow B) for the Connector's App
/// object: monitors every user that has the app with RCC, follows their presence with PbxApi,
/// and acts for them (SetPresence, alien calls through PbxImpersonation).
///
/// Frames arrive through ``handle(_:)`` in order, from the connection's handler queue, so a
/// step may await a request on the connection (the queue waits). The one exception is the users'
/// set-up after `UserInfo`: users announced meanwhile are set up in batches (one config read for
/// the batch), off the queue, with at most ``initializeWindow`` `UserInitialize` requests in
/// flight, so none waits out its timeout behind thousands of others; one that fails (no answer
/// in time) is asked again after ``initializeRetry``, doubling to a minute, while the user and
/// the connection last. Calls for a handle it has not learnt yet are held until it has. When the connection ends,
/// ``SessionRegistry`` forgets the link and sessions get ``SyncInput/pbxConnected(alienCalls:)``
/// again from the next one, which clears calls that ended meanwhile.
public actor PBXLink: PBXUserPort {
    private struct Monitored {
        var key: UserKey
        /// The user's session, kept so a `CallInfo` goes to it without asking the registry
        /// (the registry never replaces a session).
        var session: UserSession?
        var handle: Int?
        /// `PbxApi.N` for acting as this user, once created.
        var impersonation: String?
    }

    public nonisolated let connection: AppWebsocketConnection
    /// The PBX domain from the login.
    public nonisolated let domain: String
    /// The PBX runs in licence test mode (`info.testmode` of its login): every user counts as licensed.
    public nonisolated let testMode: Bool
    public private(set) var apis: Set<String> = []
    private let registry: SessionRegistry
    private let logger: Logger
    private var byGuid: [String: Monitored] = [:]
    private var byHandle: [Int: String] = [:]
    /// Users whose set-up (``initialize(_:key:session:)``) is queued or running.
    private var initializing = 0
    /// Users announced and not yet taken into a batch; ``setUpAnnounced()`` runs while there are.
    private var announced: [(info: RCC.UserInfo, key: UserKey)] = []
    private var settingUp = false
    /// Users whose session is open, waiting for a `UserInitialize` slot, oldest from `nextToInitialize`.
    private var toInitialize: [Initialization] = []
    private var nextToInitialize = 0
    private var initializeInFlight = 0
    /// `UserInitialize` requests in flight at once. The PBX answers them in order; more at once
    /// would only wait in its queue and ours.
    static let initializeWindow = 64
    /// The waits before asking again for a user the PBX did not monitor: 2 s, doubling to a
    /// minute (its ceilings, without jitter: one link's retries need no spreading).
    static let initializeRetry = Backoff(initial: .seconds(2), maximum: .seconds(60))

    private struct Initialization {
        var info: RCC.UserInfo
        var key: UserKey
        var session: Result<UserSession, any Error>
        /// Attempts that went unanswered so far.
        var failedAttempts = 0
    }
    /// Calls that arrived for a handle before its user's set-up knew it, by handle (at most
    /// ``earlyCallLimit`` handles; dropped when no set-up is running).
    private var earlyCalls: [Int: [RCC.CallInfo]] = [:]
    static let earlyCallLimit = 10_000

    static let presenceSrcPrefix = "presence:"

    public init(connection: AppWebsocketConnection, domain: String, testMode: Bool = false, registry: SessionRegistry, logger: Logger) {
        self.connection = connection
        self.domain = domain
        self.testMode = testMode
        self.registry = registry
        self.logger = logger
    }

    /// Whether the PBX lets the service add alien calls for users.
    public var offersAlienCalls: Bool { apis.contains(PbxImpersonation.api) }

    public func handle(_ frame: Frame) async {
        do {
            switch (frame.api.map { String($0.prefix { $0 != "." }) }, frame.mt) {
            case (nil, PbxInfo.messageType):
                try await start(frame.decode(PbxInfo.self))
            case (RCC.api?, RCC.UserInfo.messageType):
                try await userInfo(frame.decode(RCC.UserInfo.self))
            case (RCC.api?, RCC.CallInfo.messageType):
                try await callInfo(frame.decode(RCC.CallInfo.self))
            case (PbxApi.api?, PbxApi.PresenceUpdate.messageType):
                try await presenceUpdate(frame.decode(PbxApi.PresenceUpdate.self), src: frame.src)
            default:
                // PBXs add messages and APIs over releases; what the service does not use is no error.
                logger.debug("PBX message ignored", metadata: ["api": "\(frame.api ?? "")", "mt": "\(frame.mt)"])
            }
        } catch {
            logger.warning("PBX frame not understood", metadata: ["mt": "\(frame.mt)", "error": "\(error)"])
        }
    }

    private func start(_ info: PbxInfo) async throws {
        apis = Set(info.apis)
        logger.notice("PBX linked", metadata: ["pbx": "\(info.pbx)", "domain": "\(domain)", "apis": "\(info.apis.joined(separator: ","))"])
        await registry.pbxConnected(self, alienCalls: offersAlienCalls)
        guard apis.contains(RCC.api) else {
            logger.error("the PBX grants no RCC to the Connector for kuando App object: tick RCC (and PbxApi) at the App object, or calls will not show on the lamp")
            return
        }
        let result = try await connection.request(RCC.Initialize())
        logger.info("RCC initialized", metadata: ["users": "\(byGuid.count)", "result": "\(result.mt)"])
    }

    private func userInfo(_ info: RCC.UserInfo) async throws {
        if info.isRemoval {
            guard let gone = byGuid.removeValue(forKey: info.guid) else { return }
            if let handle = gone.handle {
                byHandle[handle] = nil
                try? await connection.send(RCC.UserEnd(user: handle))
            }
            return
        }
        let key = UserKey(domain: domain, guid: info.guid, sip: info.h323)
        guard byGuid[info.guid] == nil else { return }
        byGuid[info.guid] = Monitored(key: key)
        // Users are set up side by side: the next UserInfo does not wait for this one's
        // UserInitialize round trip (10,000 users would otherwise take 10,000 round trips).
        initializing += 1
        announced.append((info, key))
        guard !settingUp else { return }
        settingUp = true
        Task { await self.setUpAnnounced() }
    }

    /// Takes the users announced so far as one batch, opens their sessions with one config read,
    /// and starts each one's monitoring; again while more were announced meanwhile.
    private func setUpAnnounced() async {
        while !announced.isEmpty {
            let batch = announced
            announced = []
            let sessions = await registry.sessions(for: batch.map(\.key))
            for (info, key) in batch {
                toInitialize.append(Initialization(info: info, key: key, session: sessions[key] ?? .failure(SessionRegistryError.shuttingDown)))
            }
            initializeWaiting()
        }
        settingUp = false
    }

    /// Starts the waiting users' `UserInitialize`s while the window has room.
    private func initializeWaiting() {
        while initializeInFlight < Self.initializeWindow, nextToInitialize < toInitialize.count {
            let next = toInitialize[nextToInitialize]
            nextToInitialize += 1
            initializeInFlight += 1
            Task {
                await self.initialize(next)
                self.initializeInFlight -= 1
                self.initializeWaiting()
            }
        }
        if nextToInitialize == toInitialize.count {
            toInitialize.removeAll(keepingCapacity: false)
            nextToInitialize = 0
        }
    }

    /// Asks RCC to monitor the user and subscribes to their presence; when the PBX does not
    /// answer in time, asks again later (the user counts as being set up meanwhile).
    private func initialize(_ step: Initialization) async {
        let (info, key) = (step.info, step.key)
        var retrying = false
        defer {
            if !retrying { doneInitializing() }
        }
        do {
            let session = try step.session.get()
            byGuid[info.guid]?.session = session
            if testMode { try await registry.setLicensed(key, true) }
            let answer = try await connection.request(RCC.UserInitialize(cn: info.cn)).decode(RCC.UserInitializeResult.self)
            guard byGuid[info.guid] != nil else {
                // Removed while being set up.
                if let handle = answer.user { try? await connection.send(RCC.UserEnd(user: handle)) }
                return
            }
            if let handle = answer.user {
                byGuid[info.guid]?.handle = handle
                byHandle[handle] = info.guid
                for call in earlyCalls.removeValue(forKey: handle) ?? [] { deliver(call, to: session) }
            } else {
                logger.warning("RCC refused to monitor a user", metadata: ["user": "\(key)", "error": "\(answer.errorText ?? String(answer.error ?? 0))"])
            }
            if apis.contains(PbxApi.api) {
                try await connection.send(PbxApi.SubscribePresence(sip: info.h323), src: Self.presenceSrcPrefix + info.guid)
            }
        } catch ConnectionError.timeout(let waitingFor, let after) {
            guard byGuid[info.guid] != nil, await !connection.closed else { return }
            retrying = true
            let wait = Self.initializeRetry.ceiling(attempt: step.failedAttempts)
            logger.warning("the PBX did not answer in time while a user was being set up for monitoring; asking again", metadata: [
                "user": "\(key)", "waitingFor": "\(waitingFor)", "after": "\(after)", "retryIn": "\(wait)"])
            var again = step
            again.failedAttempts += 1
            Task {
                try? await Task.sleep(for: wait)
                await self.initializeAgain(again)
            }
        } catch {
            logger.warning("a user could not be set up for monitoring", metadata: ["user": "\(key)", "error": "\(error)"])
        }
    }

    /// Queues a user whose `UserInitialize` went unanswered again, unless they or the
    /// connection are gone meanwhile.
    private func initializeAgain(_ step: Initialization) async {
        guard byGuid[step.info.guid] != nil, await !connection.closed else { return doneInitializing() }
        toInitialize.append(step)
        initializeWaiting()
    }

    /// One user's set-up ended, done or given up: with the last one, held early calls go.
    private func doneInitializing() {
        initializing -= 1
        if initializing == 0 { earlyCalls.removeAll() }
    }

    private func callInfo(_ info: RCC.CallInfo) async throws {
        guard let guid = byHandle[info.user], let session = byGuid[guid]?.session else {
            // A call for a user whose UserInitializeResult is still on its way to `initialize`.
            if initializing > 0, earlyCalls.count < Self.earlyCallLimit {
                earlyCalls[info.user, default: []].append(info)
            }
            return
        }
        deliver(info, to: session)
    }

    private func deliver(_ info: RCC.CallInfo, to session: UserSession) {
        session.send(.call(.rcc(call: info.call, state: info.state, msg: info.msg, del: info.del == true)))
    }

    private func presenceUpdate(_ update: PbxApi.PresenceUpdate, src: String?) async throws {
        guard let src, src.hasPrefix(Self.presenceSrcPrefix), let session = byGuid[String(src.dropFirst(Self.presenceSrcPrefix.count))]?.session else {
            return
        }
        let tel = update.tel
        session.send(.pbxPresence(PBXPresence(activity: tel?.activity ?? "", note: tel?.note ?? "")))
    }

    // MARK: - PBXUserPort

    public func setPresence(_ presence: PBXPresence, for user: UserKey) async throws {
        let answer = try await connection.request(PbxApi.SetPresence(sip: user.sip, contact: "tel:", activity: presence.activity, note: presence.note))
            .decode(PbxApi.SetPresenceResult.self)
        guard answer.isSuccess else { throw PBXRequestError.refused("SetPresence", answer.errorText ?? "error \(answer.error ?? 0)") }
    }

    public func addAlienCall(for user: UserKey) async throws -> String {
        let api = try await impersonation(for: user)
        let answer = try await connection.request(PbxApi.AddAlienCall(), api: api).decode(PbxApi.AddAlienCallResult.self)
        guard let id = answer.id, answer.error == nil, answer.errorText == nil else {
            throw PBXRequestError.refused("AddAlienCall", answer.errorText ?? "no call id")
        }
        return id.text
    }

    public func removeAlienCall(_ id: String, for user: UserKey) async throws {
        let api = try await impersonation(for: user)
        _ = try await connection.request(PbxApi.DelAlienCall(id: try JSONValue(parsing: id)), api: api)
    }

    /// The `PbxApi.N` that acts as `user`, created on first use.
    private func impersonation(for user: UserKey) async throws -> String {
        if let known = byGuid[user.guid]?.impersonation { return known }
        guard offersAlienCalls else { throw PBXRequestError.notGranted(PbxImpersonation.api) }
        let answer = try await connection.request(PbxImpersonation.CreateApi(sip: user.sip))
        guard let target = answer.object["target"]?.stringValue else {
            throw PBXRequestError.refused("CreateApi", answer.object["errorText"]?.stringValue ?? "no target")
        }
        byGuid[user.guid]?.impersonation = target
        return target
    }
}

/// Why a request to the PBX failed.
public enum PBXRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    case notConnected
    case notGranted(String)
    case refused(String, String)

    public var description: String {
        switch self {
        case .notConnected:
            "the PBX is not connected to the service: check the App object's URL and password (the service prints both at start)"
        case .notGranted(let api):
            "the PBX does not grant \(api) to the Connector for kuando App object: tick it at the App object"
        case .refused(let request, let why):
            "the PBX refused \(request): \(why)"
        }
    }
}
