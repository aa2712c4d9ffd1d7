import Synchronization

/// Runs `body`, giving up (with `nil`) when it has not finished within `timeout`.
///
/// It returns at the deadline even when `body` does not heed cancellation (a blocking system
/// call, a socket that never closes): `body` is then cancelled and left to end on its own,
/// its result dropped. Cancelling the caller cancels `body`.
///
/// - Throws: what `body` throws, when it throws before the deadline.
///
/// ```swift
/// guard let answer = try await withTimeout(.seconds(3), { try await hub.currentPresence() }) else {
///     throw HubError.unreachable(url: url, reason: "no answer within 3 s")
/// }
/// ```
public func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
    let work = Task { try await body() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T?, any Error>) in
            let answer = FirstAnswer(continuation)
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                work.cancel()
                answer.give(.success(nil))
            }
            Task {
                let result = await work.result
                timer.cancel()
                answer.give(result.map(Optional.some))
            }
        }
    } onCancel: {
        work.cancel()
    }
}

/// Resumes a continuation with the first answer given; later ones are dropped.
private final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ result: Result<T, any Error>) {
        let waiting = continuation.withLock { pending in
            defer { pending = nil }
            return pending
        }
        waiting?.resume(with: result)
    }
}
