import Testing

@testable import ConnectorService

/// ``DueQueue``: what the schedulers take is what is due, once, earliest first.
@Suite struct DueQueueTests {
    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }

    @Test func takesWhatIsDueEarliestFirstUpToTheLimitAndEachOnce() {
        var queue = DueQueue<Int, String>()
        queue.insert("c", id: 3, at: at(30))
        queue.insert("a", id: 1, at: at(10))
        queue.insert("b", id: 2, at: at(20))
        queue.insert("later", id: 4, at: at(1000))
        #expect(queue.takeDue(now: at(5)).isEmpty)
        #expect(queue.takeDue(now: at(30), limit: 2).map(\.value) == ["a", "b"])
        #expect(queue.takeDue(now: at(30)).map(\.value) == ["c"])
        #expect(queue.takeDue(now: at(30)).isEmpty, "taken entries are out until scheduled again")
        #expect(queue.due(1) == nil && queue.due(4) == at(1000))
        #expect(queue.count == 4)
    }

    @Test func aRescheduledEntryIsDueOnlyAtItsNewTime() {
        var queue = DueQueue<Int, String>()
        queue.insert("a", id: 1, at: at(10))
        queue.schedule(1, at: at(50))
        #expect(queue.takeDue(now: at(20)).isEmpty, "the old due time is skipped")
        #expect(queue.takeDue(now: at(50)).map(\.id) == [1])
        queue.schedule(1, at: at(5))
        queue.schedule(1, at: at(60))
        #expect(queue.takeDue(now: at(100)).map(\.id) == [1], "due once, not once per schedule")
    }

    @Test func aRemovedEntryIsNeverTakenAndAnUnknownOneIsNotScheduled() {
        var queue = DueQueue<Int, String>()
        queue.insert("a", id: 1, at: at(10))
        queue.insert("b", id: 2, at: at(10))
        #expect(queue.remove(1) == "a")
        queue.schedule(1, at: at(10))
        queue[1] = "changed"
        #expect(queue[1] == nil && queue.count == 1)
        #expect(queue.takeDue(now: at(10)).map(\.value) == ["b"])
        #expect(queue.remove(2) == "b" && queue.isEmpty)
        queue.insert("again", id: 2, at: at(20))
        #expect(queue.takeDue(now: at(20)).map(\.value) == ["again"], "emptied and filled again")
    }

    @Test func settingAValueKeepsItsDueTime() {
        var queue = DueQueue<Int, Int>()
        queue.insert(1, id: 7, at: at(10))
        queue[7]? += 1
        #expect(queue.due(7) == at(10))
        #expect(queue.takeDue(now: at(10)).map(\.value) == [2])
    }
}
