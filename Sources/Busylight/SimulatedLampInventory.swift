/// A fixed, editable set of ``SimulatedLamp``s: the open hub's `--lamp simulated` and the tests'.
public actor SimulatedLampInventory: LampInventory {
    private var simulated: [SimulatedLamp]

    /// By default one simulated Omega 2 at `simulated:0`.
    public init(lamps: [SimulatedLamp] = [SimulatedLamp()]) {
        simulated = lamps
    }

    public func lamps() async -> [any Lamp] {
        simulated
    }

    /// The lamps as ``SimulatedLamp``s, to observe them.
    public func simulatedLamps() -> [SimulatedLamp] {
        simulated
    }

    /// "Plugs in" `lamp`; a lamp at the same path is replaced.
    public func add(_ lamp: SimulatedLamp) {
        simulated.removeAll { $0.info.path == lamp.info.path }
        simulated.append(lamp)
    }

    /// "Unplugs" the lamp at `path`; returns it, or `nil` if there was none.
    @discardableResult
    public func remove(path: String) -> SimulatedLamp? {
        guard let index = simulated.firstIndex(where: { $0.info.path == path }) else { return nil }
        return simulated.remove(at: index)
    }
}
