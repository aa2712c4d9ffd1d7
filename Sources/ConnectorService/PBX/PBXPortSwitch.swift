import KuandoSync
import Synchronization

/// The sessions' way to the PBX: forwards to the link of the moment, which changes when the PBX
/// reconnects, and fails clearly while there is none.
final class PBXPortSwitch: PBXUserPort {
    private let current = Mutex<PBXLink?>(nil)

    func set(_ link: PBXLink?) {
        current.withLock { $0 = link }
    }

    /// Clears the link only if it is still `link` (a newer one may have replaced it).
    func clear(_ link: PBXLink) {
        current.withLock { if $0 === link { $0 = nil } }
    }

    var link: PBXLink? { current.withLock { $0 } }

    private func linked() throws -> PBXLink {
        guard let link else { throw PBXRequestError.notConnected }
        return link
    }

    func setPresence(_ presence: PBXPresence, for user: UserKey) async throws {
        try await linked().setPresence(presence, for: user)
    }

    func addAlienCall(for user: UserKey) async throws -> String {
        try await linked().addAlienCall(for: user)
    }

    func removeAlienCall(_ id: String, for user: UserKey) async throws {
        try await linked().removeAlienCall(id, for: user)
    }
}
