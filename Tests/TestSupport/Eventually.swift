// The one way a test waits for something it cannot be told about: check, pause `every`, check
// again, until the check passes or the deadline is past. Each pause is between two checks of a
// condition; nothing here stands in for an event.

/// Polls `probe` until it returns a value, and returns that value. An error the probe throws
/// counts as "not yet" (the last one is named at the deadline), except one that ``EndsWaiting``,
/// which ends the wait at once. Throws ``NotInTime`` naming `what` when the deadline passes.
/// (Its own name, not an `eventually` overload: a `Bool` probe here would end at `false`.)
@discardableResult
public func pollFor<T>(
    _ what: String, timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(10),
    _ probe: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await probe() { return value }
            lastError = nil
        } catch let error as any EndsWaiting {
            throw error
        } catch {
            lastError = error
        }
        guard ContinuousClock.now < deadline else {
            throw NotInTime(what: what, timeout: timeout, lastError: lastError.map { "\($0)" })
        }
        try await Task.sleep(for: interval)
    }
}

/// Waits until `condition` holds; throws ``NotInTime`` naming `what` when it has not by the deadline.
public func eventually(
    _ what: String, timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async throws {
    try await pollFor(what, timeout: timeout, every: interval) { try await condition() ? true : nil }
}

/// Whether `condition` holds within `timeout`: for `#expect(await eventually { … })`.
public func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    (try? await eventually("the condition", timeout: timeout) { await condition() }) != nil
}

/// An error that ends ``pollFor(_:timeout:every:_:)`` at once instead of counting as "not
/// yet": the thing waited on can no longer come (the process that would bring it has exited).
public protocol EndsWaiting: Error {}

/// What ``pollFor(_:timeout:every:_:)`` and ``eventually(_:timeout:every:_:)`` throw at the deadline.
public struct NotInTime: Error, CustomStringConvertible {
    public var what: String
    public var timeout: Duration
    public var lastError: String?

    public var description: String {
        "\(what): not within \(timeout)" + (lastError.map { " (last error: \($0))" } ?? "")
    }
}
