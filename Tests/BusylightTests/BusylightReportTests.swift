import Testing
import TestSupport

@testable import Busylight

@Suite("BusylightReport: the 64-byte output report")
struct BusylightReportTests {
    /// `hex` written with spaces (as the protocol notes print it) without them.
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.filter { !$0.isWhitespace }
        return stride(from: 0, to: digits.count, by: 2).map { offset in
            let start = digits.index(digits.startIndex, offsetBy: offset)
            return UInt8(digits[start..<digits.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    static let zeroStep = "00 00 00 00 00 00 00 00"

    @Test("the specification's worked example encodes byte for byte, checksum 0x0693")
    func workedExample() throws {
        let report = BusylightReport(
            steps: [
                BusylightStep(
                    command: .jump(to: 1), repeatCount: 3, color: BusylightColor(red: 0, green: 0, blue: 0x33),
                    onTime: 5, offTime: 5, audio: .stop),
                BusylightStep(
                    command: .jump(to: 2), repeatCount: 5, color: BusylightColor(red: 80, green: 0, blue: 0),
                    onTime: 15, offTime: 5),
                BusylightStep(
                    command: .jump(to: 0), repeatCount: 2, color: BusylightColor(red: 0, green: 100, blue: 0),
                    onTime: 50, offTime: 0, audio: BusylightAudio(tone: 4, volume: 3)),
            ],
            // The example's footer has FF in byte 58 (Kuando Box trigger time), unlike the
            // spec's own rule "00 00 00 FF FF FF"; the lamps ignore bytes 56–58.
            footer: .init(triggerTime: 0xFF))
        let expected = Self.bytes(
            "11 03 00 00 33 05 05 80  12 05 50 00 00 0F 05 00  10 02 00 64 00 32 00 A3"
                + String(repeating: Self.zeroStep, count: 4) + "00 00 FF FF FF FF 06 93")
        #expect(report.bytes == expected)
        #expect(BusylightReport.checksum(of: report.bytes) == 0x0693)
        #expect(try BusylightReport(bytes: expected) == report)
    }

    @Test(
        "single-step vectors of the protocol notes",
        arguments: [
            (BusylightStep(command: .jump(to: 0), color: .red), "10 00 64 00 00 00 00 00", "03 71"),
            (BusylightStep(command: .jump(to: 0)), "10 00 00 00 00 00 00 00", "03 0D"),
            (BusylightStep.keepAlive(), "8F 00 00 00 00 00 00 00", "03 8C"),
            (BusylightStep(command: .jump(to: 0), color: .red, onTime: 5, offTime: 5), "10 00 64 00 00 05 05 00", "03 7B"),
            (BusylightStep(command: .jump(to: 0), color: .red, audio: .stop), "10 00 64 00 00 00 00 80", "03 F1"),
            (
                BusylightStep(command: .jump(to: 0), color: .red, audio: BusylightAudio(tone: 3, volume: 3)),
                "10 00 64 00 00 00 00 9B", "04 0C"
            ),
        ])
    func singleStepVectors(step: BusylightStep, stepHex: String, checksumHex: String) throws {
        let expected = Self.bytes(
            stepHex + String(repeating: Self.zeroStep, count: 6) + "00 00 00 FF FF FF" + checksumHex)
        let report = BusylightReport(steps: [step])
        #expect(report.bytes == expected)
        #expect(try BusylightReport(bytes: expected) == report)
    }

    @Test("the keep-alive and reset reports")
    func keepAliveAndReset() {
        #expect(BusylightReport.keepAlive.bytes.prefix(8) == [0x8F, 0, 0, 0, 0, 0, 0, 0])
        #expect(BusylightReport.keepAlive.isKeepAlive)
        #expect(BusylightReport.reset.bytes.prefix(8) == [0x20, 0, 0, 0, 0, 0, 0, 0])
        #expect(!BusylightReport.reset.isKeepAlive)
    }

    @Test("the checksum is the 16-bit sum of bytes 0–61, big-endian in bytes 62–63, over random packets")
    func checksumOverRandomPackets() throws {
        var random = SeededGenerator(seed: 0x5EED_0001)
        for _ in 0..<500 {
            let report = BusylightReport.random(using: &random)
            let bytes = report.bytes
            let sum = bytes[0..<62].reduce(0) { $0 + Int($1) } % 65536
            #expect(bytes.count == 64)
            #expect(Int(bytes[62]) * 256 + Int(bytes[63]) == sum)
            #expect(Array(bytes[59...61]) == [0xFF, 0xFF, 0xFF])
        }
    }

    @Test("decoding rejects a report with any single byte changed")
    func corruptionIsDetected() throws {
        var random = SeededGenerator(seed: 0x5EED_0002)
        for _ in 0..<300 {
            var bytes = BusylightReport.random(using: &random).bytes
            let index = Int.random(in: 0..<64, using: &random)
            bytes[index] &+= UInt8.random(in: 1...255, using: &random)
            #expect(throws: BusylightReportError.self) { try BusylightReport(bytes: bytes) }
        }
    }

    @Test("decoding is the inverse of encoding over random programs")
    func decodingInvertsEncoding() throws {
        var random = SeededGenerator(seed: 0x5EED_0003)
        for _ in 0..<1000 {
            let report = BusylightReport.random(using: &random)
            #expect(try BusylightReport(bytes: report.bytes) == report, "\(report.hex)")
        }
    }

    @Test("decoding names what is wrong")
    func decodingErrors() throws {
        #expect(throws: BusylightReportError.wrongLength(65)) { try BusylightReport(bytes: [0] + BusylightReport.keepAlive.bytes) }

        var badChecksum = BusylightReport.keepAlive.bytes
        badChecksum[63] = 0
        #expect(throws: BusylightReportError.checksumMismatch(stored: 0x0300, computed: 0x038C)) {
            try BusylightReport(bytes: badChecksum)
        }

        let unknown = BusylightReport.withChecksum(Self.bytes("30 00 00 00 00 00 00 00") + [UInt8](repeating: 0, count: 48))
        #expect(throws: BusylightReportError.unknownCommand(step: 0, byte: 0x30)) { try BusylightReport(bytes: unknown) }

        let gap = BusylightReport.withChecksum(
            Self.bytes("10 00 64 00 00 00 00 00" + Self.zeroStep + "10 00 64 00 00 00 00 00")
                + [UInt8](repeating: 0, count: 32))
        #expect(throws: BusylightReportError.unusedStepInsideProgram(step: 1)) { try BusylightReport(bytes: gap) }
        #expect("\(BusylightReportError.checksumMismatch(stored: 0x0300, computed: 0x038C))".contains("0x038c"))
    }

    @Test("values beyond a field are sent as the field's largest value")
    func clamping() throws {
        #expect(BusylightColor(red: 300, green: -5, blue: 101) == BusylightColor(red: 100, green: 0, blue: 100))
        #expect(BusylightColor(red255: 255, green255: 128, blue255: 0) == BusylightColor(red: 100, green: 50, blue: 0))

        var color = BusylightColor.off
        color.red = 200
        color.blue = 101
        let step = BusylightStep(command: .jump(to: 9), color: color, audio: BusylightAudio(tone: 20, volume: 9))
        #expect(step.bytes == [0x17, 0, 100, 0, 100, 0, 0, 0xFF])
        #expect(BusylightStep.keepAlive(timeout: 40).bytes[0] == 0x8F)

        let tooBright = BusylightReport.withChecksum(Self.bytes("10 00 C8 FF 64 00 00 00") + [UInt8](repeating: 0, count: 48))
        #expect(try BusylightReport(bytes: tooBright).steps[0].color == BusylightColor(red: 100, green: 100, blue: 100))
    }

    @Test("hex is two lowercase digits a byte")
    func hex() {
        #expect(BusylightReport.hex([0x00, 0x0A, 0xFF, 0x10]) == "000aff10")
        #expect(BusylightReport.keepAlive.hex.count == 128)
    }
}

extension BusylightReport {
    /// `steps` (56 bytes) with the spec's footer and the right checksum.
    static func withChecksum(_ steps: [UInt8]) -> [UInt8] {
        let body = steps + [0, 0, 0, 0xFF, 0xFF, 0xFF]
        let sum = body.reduce(0) { $0 + Int($1) } % 65536
        return body + [UInt8(sum >> 8), UInt8(sum & 0xFF)]
    }

    /// A report of 0–7 random, well-formed steps and a random footer.
    static func random(using random: inout SeededGenerator) -> BusylightReport {
        let steps = (0..<Int.random(in: 0...7, using: &random)).map { _ in BusylightStep.random(using: &random) }
        let footer = Footer(
            sensitivity: .random(in: 0...255, using: &random), timeout: .random(in: 0...255, using: &random),
            triggerTime: .random(in: 0...255, using: &random))
        return BusylightReport(steps: steps, footer: footer)
    }
}

extension BusylightStep {
    static func random(using random: inout SeededGenerator) -> BusylightStep {
        let command: Command =
            switch Int.random(in: 0..<4, using: &random) {
            case 0: .keepAlive(timeout: .random(in: 0...15, using: &random))
            case 1: .reset
            case 2: .bootloader
            default: .jump(to: .random(in: 0...7, using: &random))
            }
        let audio: BusylightAudio? =
            Bool.random(using: &random)
            ? BusylightAudio(tone: .random(in: 0...15, using: &random), volume: .random(in: 0...7, using: &random)) : nil
        return BusylightStep(
            command: command, repeatCount: .random(in: 0...255, using: &random),
            color: BusylightColor.random(using: &random),
            onTime: .random(in: 0...255, using: &random), offTime: .random(in: 0...255, using: &random), audio: audio)
    }
}

extension BusylightColor {
    static func random(using random: inout SeededGenerator) -> BusylightColor {
        BusylightColor(
            red: .random(in: 0...100, using: &random), green: .random(in: 0...100, using: &random),
            blue: .random(in: 0...100, using: &random))
    }
}
