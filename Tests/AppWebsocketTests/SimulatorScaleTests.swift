import AppWebsocket
import PBXSimulator
import Synchronization
import TestSupport
import Testing

/// The simulated PBX at benchmark scale: thousands of users, frames not kept, frames stamped.
@Suite struct SimulatorScaleTests {
    static func users(_ count: Int) -> [SimulatedUser] {
        (0..<count).map { SimulatedUser(sip: "u\($0)", guid: "g\($0)", dn: "User \($0)") }
    }

    @Test("1,000 users: Initialize lists them all, UserInitialize monitors each, a call reaches only its user's monitor")
    func thousandUsers() async throws {
        let listener = TestListener(password: "pw")
        try await listener.withLinkedPBX({
            PBXSimulator(configuration: .init(serviceURL: $0, password: "pw", requestTimeout: .seconds(5)), users: Self.users(1000))
        }) { pbx, service in
            // A thousand UserInfo take a while on a busy machine: this test is about the count, not the pace.
            let result = try await service.request(RCC.Initialize(), timeout: .seconds(60))
            let listed = listener.received.filter { $0.mt == "UserInfo" && $0.src == result.src }
            #expect(listed.count == 1000)
            var handles: [String: Int] = [:]
            for index in 0..<1000 {
                let answer = try await service.request(RCC.UserInitialize(cn: "u\(index)")).decode(RCC.UserInitializeResult.self)
                let handle = try #require(answer.user)
                handles["u\(index)"] = handle
            }
            #expect(Set(handles.values).count == 1000)
            try await pbx.startIncomingCall(to: "u700", from: "0301234")
            try await listener.log.waitUntil { _ in listener.received.contains { $0.mt == "CallInfo" } }
            let infos = listener.received.filter { $0.mt == "CallInfo" }.compactMap { try? $0.decode(RCC.CallInfo.self) }
            #expect(infos.map(\.user) == [handles["u700"]])
        }
    }

    @Test("recordsFrames off: the state keeps no frames, onFrame still sees each one with the instant it passed")
    func framesNotKept() async throws {
        let seen = Mutex<[PBXSimulatorState.ObservedFrame]>([])
        let listener = TestListener(password: "pw")
        let before = ContinuousClock.now
        try await listener.withLinkedPBX({
            PBXSimulator(
                configuration: .init(serviceURL: $0, password: "pw", requestTimeout: .seconds(5), recordsFrames: false),
                users: Self.users(2), onFrame: { frame in seen.withLock { $0.append(frame) } })
        }) { pbx, service in
            _ = try await service.request(RCC.Initialize())
            try await eventually("onFrame saw InitializeResult", timeout: .seconds(5)) {
                seen.withLock { $0.contains { $0.frame.mt == "InitializeResult" } }
            }
            let after = ContinuousClock.now
            #expect(await pbx.state.frames.isEmpty)
            let frames = seen.withLock { $0 }
            #expect(frames.contains { $0.direction == .fromService && $0.frame.mt == "Initialize" })
            #expect(frames.contains { $0.direction == .toService && $0.frame.mt == "InitializeResult" })
            #expect(frames.allSatisfy { $0.time >= before && $0.time <= after })
            #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.time <= $1.time })
        }
    }
}

extension SimulatorScaleTests {
    @Test("the real PBX's pace: Initialize announces at most `limit` users per tick, and answers UserInitialize meanwhile")
    func pacedInitialize() async throws {
        let seen = Mutex<[PBXSimulatorState.ObservedFrame]>([])
        let listener = TestListener(password: "pw")
        try await listener.withLinkedPBX({
            PBXSimulator(
                configuration: .init(serviceURL: $0, password: "pw", requestTimeout: .seconds(5), initializePace: .init(users: 50, tick: .seconds(1))),
                users: Self.users(150), onFrame: { frame in seen.withLock { $0.append(frame) } })
        }) { _, service in
            // Slow ticks, so the test holds on a busy machine too. The service asks for 40 per tick:
            // 150 users take 4 ticks, 3 waits of a second.
            let initialize = Task { try await service.request(RCC.Initialize(limit: 40), timeout: .seconds(30)) }
            try await listener.log.waitUntil { _ in listener.received.contains { $0.mt == "UserInfo" } }
            let answer = try await service.request(RCC.UserInitialize(cn: "u0")).decode(RCC.UserInitializeResult.self)
            #expect(answer.user != nil)
            _ = try await initialize.value

            let all = seen.withLock { $0 }
            let request = all.first { $0.direction == .fromService && $0.frame.mt == "Initialize" }
            let asked = try #require(request).time
            let frames = all.filter { $0.direction == .toService }
            let infos = frames.filter { $0.frame.mt == "UserInfo" }
            #expect(infos.count == 150)
            let initialized = try #require(frames.firstIndex { $0.frame.mt == "UserInitializeResult" })
            let finished = try #require(frames.firstIndex { $0.frame.mt == "InitializeResult" })
            #expect(initialized < finished, "UserInitialize is answered while the users are announced")
            // Tick k (users 40k…40k+39) starts no earlier than k seconds after the request.
            for (index, info) in infos.enumerated() {
                #expect(info.time - asked >= .seconds(1) * (index / 40), "user \(index) came before its tick")
            }
        }
    }
}
