/// One step of the demo's story: something happens on a real component, and the step waits
/// (with a deadline) until its effect shows on another.
struct DemoStep: Sendable {
    /// `1a`, `1b`, … : the seed flow's step and the effect within it.
    let id: String
    let name: String
    /// What must hold, in words, for the report when the step fails with an unexpected error.
    let expected: String
    /// Makes the step happen and returns what was observed, in words; throws
    /// ``DemoStepFailure`` when the effect did not show in time.
    let run: @Sendable (DemoStage) async throws -> String
}

/// A step's effect did not show: what was expected, and what was seen instead.
struct DemoStepFailure: Error, CustomStringConvertible {
    var expected: String
    var seen: String

    var description: String { "expected \(expected); saw \(seen)" }
}
