import Busylight
import Foundation
import KuandoStage
import Testing

/// The seed's example flow end to end, the story `kuando demo` plays: PBX simulator → service →
/// open hub → simulated lamp, and back. One story, told once (`SeedStory`).
@Suite(.serialized) struct SeedFlowTests {
    @Test func everyStepOfTheSeedsStoryHolds() async throws {
        let stage = try await StoryStage.start(logger: LoopbackStage.testLogger, timeout: .seconds(10))
        for step in SeedStory.steps() {
            do {
                _ = try await step.run(stage)
            } catch {
                Issue.record("step \(step.id) \"\(step.name)\": \(error)")
                break
            }
        }
        await stage.stop()
    }

    /// What `kuando demo` prints when a step fails: what was expected and what was seen.
    @Test func aStepWhoseEffectDoesNotShowFailsWithWhatWasExpectedAndSeen() async throws {
        // The step waits its whole timeout for a green that never comes; meanwhile the lamp must
        // have shown the real ringing, which on a machine busy with the other tests took longer
        // than 1 s once (registration and command through the service). 5 s leaves room.
        let stage = try await StoryStage.start(logger: LoopbackStage.testLogger, timeout: .seconds(5))
        let green = BusylightColor(red: 0, green: 100, blue: 0)
        let ringing = SeedStory.steps(StoryExpectations(ringingColor: green))[0]
        do {
            _ = try await ringing.run(stage)
            Issue.record("the step held with a colour the lamp never shows")
        } catch let failure as StoryStepFailure {
            #expect(failure.expected == "the lamp #00FF00 blink (ringing)")
            #expect(failure.seen.hasPrefix("the lamp shows #FF0000 blink"), "\(failure.seen)")
        }
        await stage.stop()
    }
}
