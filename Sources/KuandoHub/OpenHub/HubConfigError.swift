/// The open hub's config file is unusable; the message says which and what to do.
public struct HubConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
