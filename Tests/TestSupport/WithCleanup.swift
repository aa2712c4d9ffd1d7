/// Runs `body`, then `cleanup`, whether `body` returned or threw: the `defer` that an `async`
/// clean-up (stopping a server, shutting a client down) cannot have. When `body` threw, its error
/// is the one thrown, whatever `cleanup` does.
public func withCleanup<T>(
    isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T, cleanup: () async throws -> Void
) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        try? await cleanup()
        throw error
    }
    try await cleanup()
    return result
}
