import Busylight

extension HubAction {
    /// Reads a colour from a JSON object with `RedRgbValue`… (or `red`…) members, each 0–100;
    /// absent channels are 0, values above 100 are 100. `prefix` selects `flashred`-style
    /// members; `label` names a channel in error messages.
    static func color(
        from object: HubJSON?, prefix: String = "", label: (String) -> String
    ) throws -> BusylightColor {
        if let object, !object.isNull {
            guard case .object = object else {
                throw HubRequestError(
                    "\(label("")) must be a JSON object like {\"RedRgbValue\":100,\"GreenRgbValue\":0,\"BlueRgbValue\":0}")
            }
        }
        func channel(_ name: String) throws -> Int {
            let raw = object?.first(prefix + name + "RgbValue", prefix + name)
            return try wholeNumber(raw, field: label(name), default: 0, maximum: 100)
        }
        return BusylightColor(red: try channel("Red"), green: try channel("Green"), blue: try channel("Blue"))
    }

    /// A whole number ≥ 0 from `raw`: `fallback` when absent, clamped to `maximum` when above it.
    static func wholeNumber(_ raw: HubJSON?, field: String, default fallback: Int, maximum: Int) throws -> Int {
        guard let raw, !raw.isNull else { return fallback }
        if case .string(let text) = raw, text.isEmpty { return fallback }
        guard let value = raw.integer, value >= 0 else {
            throw HubRequestError("\(field) must be a whole number from 0 to \(maximum), got \(raw.jsonText)")
        }
        return min(value, maximum)
    }

    /// The hub's blink default: 0.5 s on, 0.5 s off.
    static let defaultBlinkTime = 5
    /// Upper bound of the hub's sound numbers as accepted on the wire; numbers past the hub's
    /// list (0–8) are taken, and play nothing.
    static let maximumSound = 255
}
