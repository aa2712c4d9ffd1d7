import Testing

@testable import Busylight

@Suite("SimulatedLamp: decodes what it is sent")
struct SimulatedLampTests {
    @Test("an applied effect is encoded, recorded and decoded back")
    func decodesEffects() async throws {
        let lamp = SimulatedLamp()
        try await lamp.apply(.alert(.red, hubSound: 3, hubVolume: 75))
        var now = await lamp.snapshot()
        #expect(now.effect == .alert(.red, tone: 5, volume: 5))
        #expect(now.color == .red)
        #expect(now.soundingTone == 5)
        #expect(now.lastReportHex == BusylightReport(effect: .alert(.red, tone: 5, volume: 5)).hex)

        try await lamp.apply(.pulse(.green))
        now = await lamp.snapshot()
        #expect(now.effect == .pulse(.green))
        #expect(now.color == .green)
        #expect(now.soundingTone == nil)
        #expect(now.reportCount == 2)
        #expect(await lamp.history.map(\.report) == [
            BusylightReport(effect: .alert(.red, tone: 5, volume: 5)), BusylightReport(effect: .pulse(.green)),
        ])
    }

    @Test("a keep-alive changes nothing; raw programs are kept even when no effect makes them")
    func rawReports() async throws {
        let lamp = SimulatedLamp()
        try await lamp.apply(.solid(.red))
        try await lamp.receive(BusylightReport.keepAlive.bytes)
        var now = await lamp.snapshot()
        #expect(now.effect == .solid(.red))
        #expect(now.keepAliveCount == 1)
        #expect(now.reportCount == 2)

        let handMade = BusylightReport(steps: [BusylightStep(command: .jump(to: 0), color: .green, onTime: 1)])
        try await lamp.receive(handMade.bytes)
        now = await lamp.snapshot()
        #expect(now.effect == nil)
        #expect(now.program == handMade)
        #expect(now.color == .green)
        // The hand-made step leaves the audio alone: still stopped by the solid effect before.
        #expect(now.audio == .stop)

        await #expect(throws: BusylightReportError.wrongLength(3)) { try await lamp.receive([1, 2, 3]) }
        #expect(await lamp.snapshot().reportCount == 3)
    }

    @Test("waitUntil returns once the condition holds")
    func waitUntilHolds() async throws {
        let lamp = SimulatedLamp()
        async let reached = lamp.waitUntil { $0.effect == .blink(.red, onTime: 5, offTime: 5) }
        try await lamp.apply(.solid(.green))
        try await lamp.apply(.blink(.red, onTime: 5, offTime: 5))
        let snapshot = try await reached
        #expect(snapshot.color == .red)
    }

    @Test("waitUntil gives up after its timeout, telling what the lamp shows")
    func waitUntilTimesOut() async throws {
        let lamp = SimulatedLamp()
        try await lamp.apply(.solid(.green))
        await #expect {
            _ = try await lamp.waitUntil(timeout: .milliseconds(50)) { $0.effect == .off }
        } throws: { error in
            guard let timeout = error as? SimulatedLampTimeout else { return false }
            return timeout.last.effect == .solid(.green) && "\(timeout)".contains("simulated:0")
        }
    }

    @Test("a simulated failure is thrown like a real lamp's")
    func failure() async throws {
        let lamp = SimulatedLamp(path: "simulated:1", model: .alpha)
        await lamp.simulateFailure(HidrawLampError.unplugged(path: "simulated:1"))
        await #expect(throws: HidrawLampError.unplugged(path: "simulated:1")) { try await lamp.apply(.off) }
        await lamp.simulateFailure(nil)
        try await lamp.apply(.off)
        #expect(await lamp.snapshot().effect == .off)
        #expect(lamp.info.model == "Busylight Alpha")
    }

    @Test("stop switches the lamp dark")
    func stop() async throws {
        let lamp = SimulatedLamp()
        try await lamp.apply(.alert(.red, tone: 5, volume: 5))
        await lamp.stop()
        #expect(await lamp.snapshot().effect == .off)
        #expect(await lamp.snapshot().soundingTone == nil)
    }

    @Test("the inventory lists, adds and removes lamps, and drives them all")
    func inventory() async throws {
        let inventory = SimulatedLampInventory()
        let second = SimulatedLamp(path: "simulated:1")
        await inventory.add(second)
        #expect(await inventory.lamps().map(\.info.path) == ["simulated:0", "simulated:1"])

        #expect(await inventory.applyToAll(.solid(.red)).isEmpty)
        for lamp in await inventory.simulatedLamps() {
            #expect(await lamp.snapshot().effect == .solid(.red))
        }

        await second.simulateFailure(HidrawLampError.unplugged(path: "simulated:1"))
        let failures = await inventory.applyToAll(.off)
        #expect(failures.map(\.info.path) == ["simulated:1"])

        #expect(await inventory.remove(path: "simulated:1") === second)
        #expect(await inventory.remove(path: "simulated:1") == nil)
        #expect(await inventory.lamps().map(\.info.path) == ["simulated:0"])
    }
}
