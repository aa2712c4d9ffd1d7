/// The commands of the hub's built-in `kuando TIMER` (GET `action=kuandoTimer&command=…`).
public enum KuandoTimerCommand: String, CaseIterable, Sendable {
    case start, stop, pause
    /// "continue", spelt as the manual spells it.
    case mcontinue
    case reset
}
