import Testing

@testable import Busylight

@Suite("BusylightPacketRequest: what `kuando lamp packet` prints")
struct BusylightPacketRequestTests {
    static let zeroSteps = String(repeating: "0", count: 6 * 16)

    @Test("--color 100,0,0 prints the specification's solid red report")
    func solidRed() throws {
        #expect(try BusylightPacketRequest(color: "100,0,0").report().hex == "1000640000000000" + Self.zeroSteps + "000000ffffff0371")
    }

    @Test("no options print the off report; --keepalive the keep-alive")
    func defaults() throws {
        #expect(try BusylightPacketRequest().report().hex == "1000000000000000" + Self.zeroSteps + "000000ffffff030d")
        #expect(try BusylightPacketRequest(keepAlive: true).report().hex == "8f00000000000000" + Self.zeroSteps + "000000ffffff038c")
    }

    @Test("blink and tone fill the times and the audio byte")
    func blinkAndTone() throws {
        #expect(try BusylightPacketRequest(color: "100,0,0", blink: "5,5").report().hex.prefix(16) == "1000640000050500")
        #expect(try BusylightPacketRequest(color: "100, 0, 0", tone: 3, volume: 3).report().hex.suffix(4) == "040c")
        #expect(try BusylightPacketRequest(tone: 0, volume: 0).report().hex.prefix(16) == "1000000000000080")
    }

    @Test(
        "bad options are refused, naming the option",
        arguments: [
            (BusylightPacketRequestTests.Options(color: "255,0,0"), "--color"),
            (.init(color: "1,2"), "--color"),
            (.init(color: "a,b,c"), "--color"),
            (.init(blink: "5,300"), "--blink"),
            (.init(tone: 16, volume: 3), "--tone"),
            (.init(tone: 3, volume: 8), "--volume"),
            (.init(tone: 3), "together"),
            (.init(color: "1,2,3", keepAlive: true), "--keepalive"),
        ])
    func refused(options: Options, mention: String) {
        #expect {
            _ = try BusylightPacketRequest(
                color: options.color, blink: options.blink, tone: options.tone, volume: options.volume,
                keepAlive: options.keepAlive)
        } throws: { error in
            "\(error)".contains(mention)
        }
    }

    struct Options: Sendable {
        var color: String?
        var blink: String?
        var tone: Int?
        var volume: Int?
        var keepAlive = false
    }
}
