import Testing

@testable import Busylight

@Suite("BusylightModel: USB ids")
struct BusylightModelTests {
    @Test(
        "every USB id of the protocol notes names its model",
        arguments: [
            (0x04D8, 0xF848, "Busylight BL Model 1"), (0x27BB, 0x3BCA, "Busylight Alpha"),
            (0x27BB, 0x3BCB, "Busylight UC"), (0x27BB, 0x3BCC, "Kuando Box"), (0x27BB, 0x3BCD, "Busylight Omega"),
            (0x27BB, 0x3BCE, "Busylight Alpha 2"), (0x27BB, 0x3BCF, "Busylight Omega 2"),
            (0x27BB, 0x3BC0, "Busylight (bootloader)"),
        ] as [(UInt16, UInt16, String)])
    func models(vendorID: UInt16, productID: UInt16, name: String) throws {
        let model = try #require(BusylightModel(vendorID: vendorID, productID: productID))
        #expect(model.name == name)
    }

    @Test("other devices are no kuando")
    func others() {
        #expect(BusylightModel(vendorID: 0x27BB, productID: 0x3BC1) == nil)
        #expect(BusylightModel(vendorID: 0x046D, productID: 0x3BCA) == nil)
    }
}
