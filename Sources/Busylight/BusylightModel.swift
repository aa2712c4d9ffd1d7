/// The kuando devices by USB id (protocol notes B.1).
public enum BusylightModel: CaseIterable, Sendable {
    case model1
    case alpha
    case uc
    case kuandoBox
    case omega
    case alpha2
    case omega2
    /// Any of the devices in firmware-update mode; it shows nothing.
    case bootloader

    /// Plenom's USB vendor id; the first lamp (``model1``) used Microchip's `04D8`.
    public static let plenomVendorID: UInt16 = 0x27BB

    public var vendorID: UInt16 {
        self == .model1 ? 0x04D8 : Self.plenomVendorID
    }

    public var productID: UInt16 {
        switch self {
        case .model1: 0xF848
        case .alpha: 0x3BCA
        case .uc: 0x3BCB
        case .kuandoBox: 0x3BCC
        case .omega: 0x3BCD
        case .alpha2: 0x3BCE
        case .omega2: 0x3BCF
        case .bootloader: 0x3BC0
        }
    }

    /// The model's name, as shown in `kuando lamp list` and the hub's `busylightdevices`.
    public var name: String {
        switch self {
        case .model1: "Busylight BL Model 1"
        case .alpha: "Busylight Alpha"
        case .uc: "Busylight UC"
        case .kuandoBox: "Kuando Box"
        case .omega: "Busylight Omega"
        case .alpha2: "Busylight Alpha 2"
        case .omega2: "Busylight Omega 2"
        case .bootloader: "Busylight (bootloader)"
        }
    }

    /// The model with these USB ids, or `nil` for a device that is no kuando.
    public init?(vendorID: UInt16, productID: UInt16) {
        guard let model = Self.allCases.first(where: { $0.vendorID == vendorID && $0.productID == productID }) else {
            return nil
        }
        self = model
    }
}
