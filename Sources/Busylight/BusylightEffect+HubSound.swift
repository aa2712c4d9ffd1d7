extension BusylightEffect {
    /// The hub's `alert` action: `color` with the hub's sound number (0–8) at the hub's volume
    /// (0–100), translated to the device's tone and volume. Sound 0 gives a silent alert.
    public static func alert(_ color: BusylightColor, hubSound: Int, hubVolume: Int) -> BusylightEffect {
        let audio = BusylightSound.audio(hubSound: hubSound, hubVolume: hubVolume)
        return .alert(color, tone: audio.tone, volume: audio.volume)
    }
}
