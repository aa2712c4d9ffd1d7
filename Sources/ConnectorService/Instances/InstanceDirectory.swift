import Synchronization

/// Where each instance known to this process is served: here, or by another process.
///
/// The HTTP routes look an instance up here for every request under `/<domain>/<path>`; the
/// ``InstanceKeeper`` changes it. The primary instance (`kuando serve --domain`, or the
/// domain-less one) also answers at `<path>` itself, as a single-domain service always did.
public final class InstanceDirectory: Sendable {
    public enum Place: Sendable {
        case here(Instance)
        /// Another process holds the instance; `owner` names it when it said who it is.
        case elsewhere(owner: String?)
    }

    /// The domain of the primary instance (empty: the domain-less one).
    public let primaryDomain: String
    private let places = Mutex<[String: Place]>([:])

    init(primaryDomain: String) {
        self.primaryDomain = primaryDomain
    }

    /// Where `domain`'s instance is, nil when this service knows no such instance.
    public func place(of domain: String) -> Place? {
        places.withLock { $0[Instance.key(domain)] }
    }

    /// Where the primary instance is.
    public var primaryPlace: Place? { place(of: primaryDomain) }

    /// The primary instance when this process serves it.
    public var primary: Instance? {
        if case .here(let instance) = primaryPlace { return instance }
        return nil
    }

    /// The instances this process serves, by domain.
    public var served: [Instance] {
        places.withLock { places in
            places.values.compactMap { place -> Instance? in
                if case .here(let instance) = place { return instance }
                return nil
            }
        }.sorted { $0.domain < $1.domain }
    }

    /// Every instance known, by domain.
    public var all: [(domain: String, place: Place)] {
        places.withLock { places in places.map { (domain: $0.key, place: $0.value) } }.sorted { $0.domain < $1.domain }
    }

    func set(_ domain: String, _ place: Place?) {
        places.withLock { $0[Instance.key(domain)] = place }
    }
}
