/// Why a request to the hub is malformed; the hub answers it with 400 and this message, and
/// changes nothing.
public struct HubRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
