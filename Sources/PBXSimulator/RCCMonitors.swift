/// The RCC monitors of one PBX connection: which handle watches which user, and with which
/// `src` its `CallInfo`s go out. Looked up by user as well as by handle, so a call step costs the
/// same with 10 users as with 10,000.
struct RCCMonitors {
    private var byHandle: [Int: (sip: String, src: String?)] = [:]
    private var bySip: [String: Set<Int>] = [:]

    mutating func add(handle: Int, sip: String, src: String?) {
        byHandle[handle] = (sip, src)
        bySip[sip, default: []].insert(handle)
    }

    mutating func remove(handle: Int) {
        guard let gone = byHandle.removeValue(forKey: handle) else { return }
        bySip[gone.sip]?.remove(handle)
        if bySip[gone.sip]?.isEmpty == true { bySip[gone.sip] = nil }
    }

    /// The monitors of `sip`, by handle.
    func of(_ sip: String) -> [(handle: Int, src: String?)] {
        (bySip[sip] ?? []).sorted().map { ($0, byHandle[$0]?.src) }
    }
}
