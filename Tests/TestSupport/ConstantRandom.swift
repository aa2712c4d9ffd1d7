/// A random source that always returns the same value (0 makes every backoff delay half its ceiling).
public struct ConstantRandom: RandomNumberGenerator, Sendable {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    public mutating func next() -> UInt64 { value }
}
