/// A ``SimulatedLamp/waitUntil(timeout:_:)`` whose condition did not hold in time.
public struct SimulatedLampTimeout: Error, Sendable, CustomStringConvertible {
    public var waited: Duration
    /// What the lamp showed when the wait gave up.
    public var last: SimulatedLampSnapshot

    public var description: String {
        let effect = last.effect.map { "\($0)" } ?? "no recognised effect"
        return "the simulated lamp \(last.info.path) did not reach the expected state within \(waited); "
            + "it shows \(effect) after \(last.reportCount) reports, last \(last.lastReportHex ?? "none")"
    }
}
