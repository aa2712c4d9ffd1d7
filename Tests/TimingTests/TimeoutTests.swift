import Synchronization
import Testing
import Timing

@Suite struct TimeoutTests {
    @Test func anAnswerInTimeIsReturned() async throws {
        #expect(try await withTimeout(.seconds(10)) { 42 } == 42)
    }

    @Test func anErrorInTimeIsThrown() async {
        struct Broken: Error {}
        await #expect(throws: Broken.self) { try await withTimeout(.seconds(10)) { throw Broken() } }
    }

    /// As a blocking system call: the work heeds no cancellation, and the wait ends anyway.
    @Test func theDeadlineHoldsEvenForWorkThatIgnoresCancellation() async throws {
        let waiting = Mutex<[CheckedContinuation<Int, Never>]>([])
        let answer = try await withTimeout(.milliseconds(100)) {
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }
        #expect(answer == nil)
        for continuation in waiting.withLock({ $0 }) { continuation.resume(returning: 1) }
    }
}
