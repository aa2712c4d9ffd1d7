/// The audio setting of one step: the device's tone number and 3-bit volume (HID spec B.4).
///
/// On the wire it is the step's last byte, `c bbbb eee`: `c` = 1 applies the setting, `bbbb` the
/// tone, `eee` the volume. Volume 0 stops the tone; 7 is loudest. A step without an audio setting
/// (`c` = 0) leaves whatever plays playing.
public struct BusylightAudio: Equatable, Hashable, Sendable {
    /// Device tone 0–15 (see ``BusylightSound``); larger values are sent as 15.
    public var tone: UInt8
    /// Volume 0–7; larger values are sent as 7.
    public var volume: UInt8

    public init(tone: UInt8, volume: UInt8) {
        self.tone = min(tone, 15)
        self.volume = min(volume, 7)
    }

    /// Tone 0 at volume 0: stops any tone (audio byte `0x80`).
    public static let stop = BusylightAudio(tone: 0, volume: 0)

    /// Whether a tone is heard with this setting.
    public var isAudible: Bool { volume > 0 }

    /// The audio byte for a step: `0x80 | tone << 3 | volume`, or `0x00` (leave unchanged) for `nil`.
    public static func byte(for audio: BusylightAudio?) -> UInt8 {
        guard let audio else { return 0 }
        return 0x80 | min(audio.tone, 15) << 3 | min(audio.volume, 7)
    }

    /// The setting an audio byte applies, or `nil` when its `c` bit is clear (leave unchanged).
    public init?(byte: UInt8) {
        guard byte & 0x80 != 0 else { return nil }
        self.init(tone: byte >> 3 & 0x0F, volume: byte & 0x07)
    }
}
