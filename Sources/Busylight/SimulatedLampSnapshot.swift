/// What a ``SimulatedLamp`` shows at one moment, decoded from the reports it was sent.
public struct SimulatedLampSnapshot: Equatable, Sendable {
    public var info: LampInfo
    /// The program running now; `nil` before the first report.
    public var program: BusylightReport?
    /// The effect the running program is (see ``BusylightEffect/init(recognizing:)``); `nil`
    /// before the first report or for a hand-made program.
    public var effect: BusylightEffect?
    /// The program's main colour: the effect's colour, else step 0's; black before any report.
    public var color: BusylightColor
    /// The audio setting in force: the last one any step applied; `nil` if none ever was.
    public var audio: BusylightAudio?
    /// Reports received, keep-alives included.
    public var reportCount: Int
    /// Keep-alive reports received.
    public var keepAliveCount: Int
    /// The last report's 64 bytes, as 128 hex digits.
    public var lastReportHex: String?

    /// The device tone playing now, or `nil` when silent.
    public var soundingTone: UInt8? {
        guard let audio, audio.isAudible else { return nil }
        return audio.tone
    }

    public init(info: LampInfo) {
        self.info = info
        self.color = .off
        self.reportCount = 0
        self.keepAliveCount = 0
    }
}
