import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps this process's instances in step with the store and with the other processes.
///
/// A round runs at start and every ``refreshInterval``: it confirms the claims (and stops the
/// instances whose claim is lost), reads the instances from the store, stops the
/// ones that were removed or whose password changed, and claims the rest
/// (``InstanceClaims``): a claimed instance starts serving here, one held elsewhere is
/// recorded with its owner, so a peer reaching this process is told where it belongs. The
/// primary instance (`kuando serve --domain … --password …`) is claimed every round even when
/// the store does not list it.
///
/// As a `Service` it runs after the listener; on graceful shutdown it stops every instance
/// (`Logout` to every hub, connections closed) and gives its claims up, so another process
/// takes over at once instead of after a timeout.
public actor InstanceKeeper: Service {
    public static let defaultRefreshInterval = Duration.seconds(2)

    public nonisolated let directory: InstanceDirectory
    public nonisolated let claims: any InstanceClaims
    public nonisolated let refreshInterval: Duration
    private let store: any ConfigStore
    private let factory: InstanceFactory
    private let primary: (domain: String, password: String)
    private let logger: Logger
    private let firstRound = OneShot()
    private var storeFailing = false

    init(
        directory: InstanceDirectory, claims: any InstanceClaims, store: any ConfigStore, factory: InstanceFactory,
        primary: (domain: String, password: String), refreshInterval: Duration = defaultRefreshInterval, logger: Logger
    ) {
        self.directory = directory
        self.claims = claims
        self.store = store
        self.factory = factory
        self.primary = primary
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    /// Returns once the first round has run (whatever it found), or the keeper ended.
    public nonisolated func firstRoundDone() async {
        await firstRound.wait()
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.round()
                self.firstRound.fire()
                try await Task.sleep(for: self.refreshInterval)
            }
        }
        firstRound.fire()
        logger.notice("stopping: Logout to every hub, closing sockets and the database")
        await withTaskGroup(of: Void.self) { group in
            for instance in directory.served {
                group.addTask { await instance.stop(reason: "the service is stopping") }
            }
        }
        await claims.releaseAll()
    }

    /// One round: claims checked, instances read, each claimed or stopped.
    func round() async {
        let lost = Set(await claims.check().map(Instance.key))
        for instance in directory.served where lost.contains(Instance.key(instance.domain)) {
            await instance.stop(reason: "this process lost its hold on the instance: the PBX reconnects to whichever process serves it now")
            directory.set(instance.domain, .elsewhere(owner: nil))
        }
        var wanted: [(domain: String, password: String)] = [primary]
        do {
            let stored = try await store.instances()
            wanted += stored.filter { Instance.key($0.domain) != Instance.key(primary.domain) }.map { ($0.domain, $0.password) }
            if storeFailing {
                storeFailing = false
                logger.notice("instances readable again in the config database")
            }
        } catch {
            // The store is away: keep serving what is served, take nothing new.
            if !storeFailing {
                storeFailing = true
                logger.warning("the instances cannot be read from the config database; instances served now go on", metadata: ["error": "\(error)"])
            }
            return
        }
        let keys = Set(wanted.map { Instance.key($0.domain) })
        for (domain, place) in directory.all where !keys.contains(domain) {
            if case .here(let instance) = place {
                await instance.stop(reason: "the instance was removed from this service")
                await claims.release(instance.domain)
                logger.notice("instance removed: no longer served", metadata: ["instance": "\(instance.domain)"])
            }
            directory.set(domain, nil)
        }
        var unclaimed: [(domain: String, password: String)] = []
        for (domain, password) in wanted {
            if case .here(let instance) = directory.place(of: domain) {
                guard instance.password != password else { continue }
                await instance.stop(reason: "the instance password changed: log in with the new one")
                logger.notice("instance password changed: the PBX logs in again", metadata: ["instance": "\(domain)"])
            }
            unclaimed.append((domain, password))
        }
        guard !unclaimed.isEmpty else { return }
        let claimed: [String: InstanceClaim]
        do {
            claimed = try await claims.claim(unclaimed.map(\.domain))
        } catch {
            for (domain, _) in unclaimed { directory.set(domain, .elsewhere(owner: nil)) }
            logger.warning(
                "instances could not be claimed; trying again in the next round", metadata: ["instances": "\(unclaimed.map(\.domain))", "error": "\(error)"])
            return
        }
        for (domain, password) in unclaimed {
            switch claimed[domain] {
            case .held:
                directory.set(domain, .here(factory.make(domain: domain, password: password)))
                logger.notice("instance served by this process", metadata: ["instance": "\(domain)", "process": "\(claims.owner)"])
            case .heldElsewhere(let owner):
                directory.set(domain, .elsewhere(owner: owner))
            case nil:
                directory.set(domain, .elsewhere(owner: nil))
            }
        }
    }
}

/// Waiters resumed once, when ``fire()`` is first called (later waiters return at once).
final class OneShot: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
