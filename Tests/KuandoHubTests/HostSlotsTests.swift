import Synchronization
import TestSupport
import Testing
@testable import KuandoHub

/// ``HostSlots``: a bounded number of requests per host, the rest waiting their turn.
@Suite struct HostSlotsTests {
    /// Requests that hold their slot until the test lets them finish.
    final class Held: Sendable {
        private let state = Mutex<(running: Set<Int>, started: [Int], released: Set<Int>)>(([], [], []))

        func run(_ index: Int) async throws {
            state.withLock { $0.running.insert(index); $0.started.append(index) }
            defer { state.withLock { _ = $0.running.remove(index) } }
            while !state.withLock({ $0.released.contains(index) }) {
                try await Task.sleep(for: .milliseconds(1))
            }
        }

        func release(_ index: Int) { state.withLock { _ = $0.released.insert(index) } }
        var running: Set<Int> { state.withLock { $0.running } }
        var started: [Int] { state.withLock { $0.started } }
    }

    @Test func atMostPerHostRunAndTheOthersGoInTheOrderTheyCame() async throws {
        let slots = HostSlots(perHost: 2)
        let held = Held()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<5 {
                // One after the other, so the arrival order is known.
                group.addTask { try await slots.withSlot(for: "http://hub:8989") { try await held.run(index) } }
                try await eventually("request \(index) is running or waiting") {
                    let load = slots.load(of: "http://hub:8989")
                    return load.busy + load.waiting == index + 1
                }
            }
            #expect(held.running == [0, 1])
            #expect(slots.load(of: "http://hub:8989").waiting == 3)
            held.release(1)
            try await eventually("the first waiter runs") { held.running == [0, 2] }
            held.release(0)
            try await eventually("the second waiter runs") { held.running == [2, 3] }
            for index in 2..<5 { held.release(index) }
            try await group.waitForAll()
        }
        #expect(held.started == [0, 1, 2, 3, 4])
        #expect(slots.load(of: "http://hub:8989") == (0, 0))
    }

    @Test func anotherHostDoesNotWaitAndACancelledWaiterLeavesItsPlace() async throws {
        let slots = HostSlots(perHost: 1)
        let held = Held()
        let first = Task { try await slots.withSlot(for: "http://a") { try await held.run(0) } }
        try await eventually("the first request runs") { held.running == [0] }
        let cancelled = Task { try await slots.withSlot(for: "http://a") { try await held.run(1) } }
        try await eventually("the second request waits") { slots.load(of: "http://a").waiting == 1 }
        let third = Task { try await slots.withSlot(for: "http://a") { try await held.run(2) } }
        try await eventually("the third request waits") { slots.load(of: "http://a").waiting == 2 }

        let other = Task { try await slots.withSlot(for: "http://b") { try await held.run(3) } }
        try await eventually("another host's request runs at once") { held.running == [0, 3] }

        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(slots.load(of: "http://a") == (1, 1))
        held.release(0)
        try await eventually("the third request runs, the cancelled one never") { held.running == [2, 3] }
        held.release(2)
        held.release(3)
        try await first.value
        try await third.value
        try await other.value
        #expect(!held.started.contains(1))
        #expect(slots.load(of: "http://a") == (0, 0))
    }

    @Test(arguments: [
        ("http://127.0.0.1:8989/u/1/?action=currentpresence", "http://127.0.0.1:8989"),
        ("https://hub.example.com/", "https://hub.example.com"),
        ("http://[::1]:8989?action=light", "http://[::1]:8989"),
    ])
    func requestsArePooledByHostAsAsyncHTTPClientDoes(url: String, host: String) {
        #expect(HTTPHubTransport.hostKey(url) == host)
    }
}
