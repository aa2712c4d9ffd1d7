import Testing

@testable import Busylight

@Suite("BusylightSound: hub sounds and volumes to the device's")
struct BusylightSoundTests {
    @Test(
        "each hub sound number maps to the device tone of the same name",
        arguments: [
            (1, "Fairy Tale", 4), (2, "Funky", 3), (3, "Kuando Train", 5), (4, "Open Office", 1), (5, "Quiet", 2),
            (6, "Telephone Nordic", 6), (7, "Telephone Original", 7), (8, "Telephone Pick Me Up", 8),
        ])
    func hubSoundTable(hubSound: Int, name: String, deviceTone: UInt8) throws {
        #expect(BusylightSound.deviceTone(forHubSound: hubSound) == deviceTone)
        let sound = try #require(BusylightSound(hubSound: hubSound))
        #expect(sound.name == name)
        #expect(sound.hubSound == hubSound)
    }

    @Test("hub sound 0 (none) and undefined numbers have no device tone")
    func noTone() {
        #expect(BusylightSound.deviceTone(forHubSound: 0) == nil)
        #expect(BusylightSound.deviceTone(forHubSound: 9) == nil)
        #expect(BusylightSound.deviceTone(forHubSound: -1) == nil)
        #expect(BusylightSound.buzz.hubSound == nil)
    }

    @Test(
        "the hub's volumes map to the inferred 3-bit volumes, others to the nearest",
        arguments: [
            (0, 0), (25, 2), (50, 3), (75, 5), (100, 6),
            (10, 0), (13, 2), (37, 2), (38, 3), (62, 3), (63, 5), (88, 6), (-20, 0), (250, 6),
        ] as [(Int, UInt8)])
    func hubVolumeTable(hubVolume: Int, deviceVolume: UInt8) {
        #expect(BusylightSound.deviceVolume(forHubVolume: hubVolume) == deviceVolume)
    }

    @Test("a hub alert becomes the device's tone and volume; no sound or no volume is silent")
    func hubAlert() {
        let red = BusylightColor(red: 100, green: 0, blue: 0)
        #expect(BusylightEffect.alert(red, hubSound: 3, hubVolume: 75) == .alert(red, tone: 5, volume: 5))
        #expect(BusylightEffect.alert(red, hubSound: 0, hubVolume: 75) == .alert(red, tone: 0, volume: 0))
        #expect(BusylightSound.audio(hubSound: 8, hubVolume: 0) == .stop)
        #expect(BusylightSound.audio(hubSound: 1, hubVolume: 100) == BusylightAudio(tone: 4, volume: 6))
    }
}
