/// One step of the demo's story: something happens on a real component, and the step waits
/// (with a deadline) until its effect shows on another.
public struct StoryStep: Sendable {
    /// `1a`, `1b`, … : the seed flow's step and the effect within it.
    public let id: String
    public let name: String
    /// What must hold, in words, for the report when the step fails with an unexpected error.
    public let expected: String
    /// Makes the step happen and returns what was observed, in words; throws
    /// ``StoryStepFailure`` when the effect did not show in time.
    public let run: @Sendable (StoryStage) async throws -> String
}

/// A step's effect did not show: what was expected, and what was seen instead.
public struct StoryStepFailure: Error, CustomStringConvertible {
    public var expected: String
    public var seen: String

    public init(expected: String, seen: String) {
        self.expected = expected
        self.seen = seen
    }

    public var description: String { "expected \(expected); saw \(seen)" }
}
