extension LampInventory {
    /// Applies `effect` to every lamp connected now, all at once; returns the lamps that failed.
    @discardableResult
    public func applyToAll(_ effect: BusylightEffect) async -> [LampFailure] {
        await withTaskGroup(of: LampFailure?.self) { group in
            for lamp in await lamps() {
                group.addTask {
                    do {
                        try await lamp.apply(effect)
                        return nil
                    } catch {
                        return LampFailure(info: lamp.info, error: error)
                    }
                }
            }
            var failures: [LampFailure] = []
            for await failure in group {
                if let failure { failures.append(failure) }
            }
            return failures.sorted { $0.info.path < $1.info.path }
        }
    }
}
