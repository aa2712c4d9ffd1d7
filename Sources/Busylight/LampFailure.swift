/// A lamp that failed in ``LampInventory/applyToAll(_:)``.
public struct LampFailure: Error, Sendable, CustomStringConvertible {
    public var info: LampInfo
    public var error: any Error

    public var description: String { "\(info.model) at \(info.path): \(error)" }
}
