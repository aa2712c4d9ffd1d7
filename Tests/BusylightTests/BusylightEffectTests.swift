import Testing
import TestSupport

@testable import Busylight

@Suite("BusylightEffect: effects as programs")
struct BusylightEffectTests {
    @Test("solid, off and blink are one looping step that stops any tone")
    func singleStepEffects() {
        #expect(BusylightReport(effect: .solid(.red)).steps == [
            BusylightStep(command: .jump(to: 0), color: .red, audio: .stop),
        ])
        #expect(BusylightReport(effect: .off).bytes.prefix(8) == [0x10, 0, 0, 0, 0, 0, 0, 0x80])
        #expect(BusylightReport(effect: .blink(.red, onTime: 7, offTime: 3)).bytes.prefix(8) == [
            0x10, 0, 100, 0, 0, 7, 3, 0x80,
        ])
    }

    @Test("an alert flashes 0.3 s on / 0.5 s off and sets the tone")
    func alert() {
        #expect(BusylightReport(effect: .alert(.red, tone: 5, volume: 5)).bytes.prefix(8) == [
            0x10, 0, 100, 0, 0, 3, 5, 0x80 | 5 << 3 | 5,
        ])
    }

    @Test("a pulse is seven steps ramping the colour up and down, each jumping to the next")
    func pulse() {
        let steps = BusylightReport(effect: .pulse(BusylightColor(red: 80, green: 40, blue: 0))).steps
        #expect(steps.count == 7)
        #expect(steps.map(\.command) == [1, 2, 3, 4, 5, 6, 0].map { .jump(to: $0) })
        #expect(steps.map(\.color.red) == [8, 28, 56, 80, 56, 28, 8])
        #expect(steps.map(\.color.green) == [4, 14, 28, 40, 28, 14, 4])
        #expect(steps.allSatisfy { $0.onTime == 2 && $0.offTime == 0 && $0.repeatCount == 1 })
        #expect(steps.map(\.audio) == [.stop, nil, nil, nil, nil, nil, nil])
    }

    @Test("colour with flash shows the flash 0.5 s, then the colour 3 s")
    func colorWithFlash() {
        let steps = BusylightReport(effect: .colorWithFlash(.red, flash: .blue)).steps
        #expect(steps == [
            BusylightStep(command: .jump(to: 1), repeatCount: 1, color: .blue, onTime: 5, audio: .stop),
            BusylightStep(command: .jump(to: 0), repeatCount: 1, color: .red, onTime: 30),
        ])
    }

    @Test("recognising a report gives back the effect it was made from, over random effects")
    func recognitionRoundTrip() throws {
        var random = SeededGenerator(seed: 0x5EED_0010)
        for _ in 0..<1000 {
            let effect = BusylightEffect.random(using: &random)
            let decoded = try BusylightReport(bytes: BusylightReport(effect: effect).bytes)
            let recognized = try #require(BusylightEffect(recognizing: decoded), "\(effect)")
            // Recognition is exact on the wire, and names the effect itself unless a simpler one
            // has the very same program.
            #expect(BusylightReport(effect: recognized) == decoded)
            #expect(recognized == effect.canonical, "\(effect)")
        }
    }

    @Test("effects sharing a program are named by the simpler one")
    func sharedPrograms() {
        func recognize(_ effect: BusylightEffect) -> BusylightEffect? {
            BusylightEffect(recognizing: BusylightReport(effect: effect))
        }
        #expect(recognize(.solid(.off)) == .off)
        #expect(recognize(.blink(.red, onTime: 0, offTime: 0)) == .solid(.red))
        #expect(recognize(.alert(.red, tone: 0, volume: 0)) == .blink(.red, onTime: 3, offTime: 5))
    }

    @Test("programs no effect makes are not recognised")
    func foreignPrograms() {
        #expect(BusylightEffect(recognizing: .keepAlive) == nil)
        #expect(BusylightEffect(recognizing: .reset) == nil)
        #expect(BusylightEffect(recognizing: BusylightReport(steps: [])) == nil)
        let audioUnchanged = BusylightReport(steps: [BusylightStep(command: .jump(to: 0), color: .red)])
        #expect(BusylightEffect(recognizing: audioUnchanged) == nil)
        var almostPulse = BusylightReport(effect: .pulse(.red)).steps
        almostPulse[0].color = .blue
        #expect(BusylightEffect(recognizing: BusylightReport(steps: almostPulse)) == nil)
    }

    @Test("only dark, silent effects need no keep-alive")
    func showsAnything() {
        #expect(!BusylightEffect.off.showsAnything)
        #expect(!BusylightEffect.solid(.off).showsAnything)
        #expect(!BusylightEffect.blink(.off, onTime: 5, offTime: 5).showsAnything)
        #expect(BusylightEffect.solid(.red).showsAnything)
        #expect(BusylightEffect.alert(.off, tone: 3, volume: 2).showsAnything)
        #expect(!BusylightEffect.alert(.off, tone: 3, volume: 0).showsAnything)
        #expect(BusylightEffect.colorWithFlash(.off, flash: .blue).showsAnything)
    }
}

extension BusylightEffect {
    static func random(using random: inout SeededGenerator) -> BusylightEffect {
        let color = BusylightColor.random(using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return .solid(color)
        case 1: return .off
        case 2:
            return .blink(color, onTime: .random(in: 0...255, using: &random), offTime: .random(in: 0...255, using: &random))
        case 3: return .pulse(color)
        case 4: return .alert(color, tone: .random(in: 0...15, using: &random), volume: .random(in: 0...7, using: &random))
        default: return .colorWithFlash(color, flash: BusylightColor.random(using: &random))
        }
    }

    /// The name recognition gives this effect's program (see `sharedPrograms`).
    var canonical: BusylightEffect {
        switch self {
        case .solid(.off), .blink(.off, 0, 0): .off
        case .blink(let color, 0, 0): .solid(color)
        case .alert(let color, 0, 0): .blink(color, onTime: 3, offTime: 5)
        default: self
        }
    }
}
