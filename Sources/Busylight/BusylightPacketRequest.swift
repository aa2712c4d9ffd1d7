import Foundation

/// The single-step report `kuando lamp packet` prints, built from its options as written on the
/// command line, in the device's own units.
///
/// ```swift
/// try BusylightPacketRequest(color: "100,0,0").report().hex
/// // "1000640000000000" + 80 zeros + "000000ffffff0371"
/// ```
///
/// Without `blink` the step is a steady colour (on and off time 0); without `tone`/`volume` the
/// audio byte is `00` (leave the audio as it is); without `color` the colour is black.
public struct BusylightPacketRequest: Equatable, Sendable {
    public var color: BusylightColor
    public var onTime: UInt8
    public var offTime: UInt8
    public var audio: BusylightAudio?
    public var keepAlive: Bool

    /// A request from the command line's text.
    ///
    /// - Parameters:
    ///   - color: `R,G,B`, each 0–100.
    ///   - blink: `ON,OFF` in tenths of a second, each 0–255.
    ///   - tone: device tone 0–15; needs `volume`.
    ///   - volume: device volume 0–7; needs `tone`.
    ///   - keepAlive: the keep-alive report instead; excludes the other options.
    /// - Throws: ``Problem`` naming the option and the accepted values.
    public init(
        color: String? = nil, blink: String? = nil, tone: Int? = nil, volume: Int? = nil, keepAlive: Bool = false
    ) throws(Problem) {
        if keepAlive, color != nil || blink != nil || tone != nil || volume != nil {
            throw Problem("--keepalive changes nothing on the lamp, so it takes no --color, --blink, --tone or --volume")
        }
        let rgb = try Self.numbers(color, option: "--color", names: "R,G,B", range: 0...100)
        let times = try Self.numbers(blink, option: "--blink", names: "ON,OFF", range: 0...255)
        switch (tone, volume) {
        case (nil, nil):
            audio = nil
        case (let tone?, let volume?):
            guard (0...15).contains(tone) else { throw Problem("--tone must be a device tone 0–15, got \(tone)") }
            guard (0...7).contains(volume) else { throw Problem("--volume must be a device volume 0–7, got \(volume)") }
            audio = BusylightAudio(tone: UInt8(tone), volume: UInt8(volume))
        default:
            throw Problem("give --tone and --volume together (volume 0 stops the tone)")
        }
        self.color = rgb.map { BusylightColor(red: $0[0], green: $0[1], blue: $0[2]) } ?? .off
        onTime = times.map { UInt8($0[0]) } ?? 0
        offTime = times.map { UInt8($0[1]) } ?? 0
        self.keepAlive = keepAlive
    }

    /// The report: the keep-alive, or one step jumping to itself with the requested values.
    public func report() -> BusylightReport {
        if keepAlive { return .keepAlive }
        return BusylightReport(steps: [
            BusylightStep(command: .jump(to: 0), color: color, onTime: onTime, offTime: offTime, audio: audio),
        ])
    }

    /// An option the request cannot be built from; the text says which and what it takes.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String

        init(_ description: String) {
            self.description = description
        }
    }

    /// `text` split at commas into `names.count` whole numbers in `range`, or `nil` for no text.
    private static func numbers(
        _ text: String?, option: String, names: String, range: ClosedRange<Int>
    ) throws(Problem) -> [Int]? {
        guard let text else { return nil }
        let count = names.split(separator: ",").count
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let values = parts.compactMap(\.self)
        guard parts.count == count, values.count == count, values.allSatisfy(range.contains) else {
            throw Problem("\(option) takes \(names), \(count) whole numbers \(range.lowerBound)–\(range.upperBound) separated by commas; got \"\(text)\"")
        }
        return values
    }
}
