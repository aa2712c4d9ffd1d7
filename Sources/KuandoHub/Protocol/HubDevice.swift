import Busylight
import Foundation

/// One entry of the hub's `busylightdevices` reply.
///
/// The open hub answers a JSON array of
/// `{"HIDDevicePath":"/dev/hidraw3","ModelName":"Busylight Omega","ProductID":15309,"VendorID":10171}`
/// (docs/kuandohub-api.md). Reading also accepts `{"devices":[…]}` (or any object holding one
/// list), IDs as numbers or hex strings, and member names in any case.
public struct HubDevice: Equatable, Sendable {
    /// The path that addresses this lamp in a request's `path`.
    public var path: String
    public var modelName: String?
    public var productID: Int?
    public var vendorID: Int?

    public init(path: String, modelName: String?, productID: Int?, vendorID: Int?) {
        self.path = path
        self.modelName = modelName
        self.productID = productID
        self.vendorID = vendorID
    }

    public init(_ info: LampInfo) {
        self.init(path: info.path, modelName: info.model, productID: Int(info.productID), vendorID: Int(info.vendorID))
    }

    /// The reply body the open hub sends for `devices`.
    public static func replyBody(_ devices: [HubDevice]) -> Data {
        let list = devices.map { device -> HubJSON in
            var entry: [String: HubJSON] = ["HIDDevicePath": .string(device.path), "ModelName": HubJSON(device.modelName)]
            entry["ProductID"] = device.productID.map { .number(Double($0)) } ?? .null
            entry["VendorID"] = device.vendorID.map { .number(Double($0)) } ?? .null
            return .object(entry)
        }
        return Data(HubJSON.array(list).jsonText.utf8)
    }

    /// Reads a `busylightdevices` reply; nil when it is not a device list of any shape this reader knows.
    public static func devices(reply body: Data) -> [HubDevice]? {
        guard let document = HubJSON(parsing: body) else { return nil }
        let list: [HubJSON]
        switch document {
        case .array(let items):
            list = items
        case .object(let members):
            let lists = members.values.compactMap { value -> [HubJSON]? in
                if case .array(let items) = value { items } else { nil }
            }
            guard let only = document["devices"].flatMap({ value -> [HubJSON]? in
                if case .array(let items) = value { items } else { nil }
            }) ?? (lists.count == 1 ? lists[0] : nil) else { return nil }
            list = only
        default:
            return nil
        }
        return list.compactMap { entry in
            guard let path = entry.first("HIDDevicePath", "path")?.text else { return nil }
            return HubDevice(
                path: path, modelName: entry.first("ModelName", "model")?.text,
                productID: entry.first("ProductID", "PID").flatMap(identifier),
                vendorID: entry.first("VendorID", "VID").flatMap(identifier))
        }
    }

    /// A USB ID from a number, a decimal string, or a hex string (`0x3BCD`, `3BCD`).
    private static func identifier(_ value: HubJSON) -> Int? {
        if let number = value.integer { return number }
        guard var text = value.text?.lowercased() else { return nil }
        if text.hasPrefix("0x") { text.removeFirst(2) }
        return Int(text, radix: 16)
    }
}
