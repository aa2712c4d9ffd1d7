import KuandoHub
import KuandoSync
import Timing

/// Keeps one user's session connected to the user's hub: registers the data source (again after
/// every outage, which also re-sends the current claim), then reads the hub's winner at the
/// configured interval and hands it to the session, which acts only on changes.
///
/// Problems reach the session's status once per change, never once per try (the seed warns
/// that an unreachable hub floods the logs otherwise). ``run()`` returns when its task is
/// cancelled: the owner cancels it when the user's hub settings change or the relay goes away.
public struct HubPoller: Sendable {
    public let session: UserSession
    public let client: HubClient
    public let pollInterval: Duration
    private let clock: any Clock<Duration>

    public init(session: UserSession, client: HubClient, pollInterval: Duration, clock: any Clock<Duration> = ContinuousClock()) {
        self.session = session
        self.client = client
        self.pollInterval = pollInterval
        self.clock = clock
    }

    public func run() async {
        var lastProblem: String?
        var backoff = Backoff()
        func note(_ problem: (any Error)?) async {
            let text = problem.map { "\($0)" }
            guard text != lastProblem else { return }
            lastProblem = text
            if let problem { await session.report(problem) }
        }
        while !Task.isCancelled {
            do {
                try await client.connect()
            } catch is CancellationError {
                return
            } catch {
                // A wrong token or a refused registration does not heal by retrying fast.
                await session.setHubReachable(false)
                await note(error)
                guard (try? await clock.sleep(for: backoff.nextDelay())) != nil else { return }
                continue
            }
            backoff.reset()
            await session.setHubReachable(true)
            session.send(.hubConnected)
            while !Task.isCancelled {
                do {
                    let winner = try await client.currentPresence()
                    await note(nil)
                    session.send(.hubWinner(winner))
                } catch let error as HubError where error.isUnreachable {
                    await session.setHubReachable(false)
                    await note(error)
                    break
                } catch is CancellationError {
                    return
                } catch {
                    await note(error)
                }
                guard (try? await clock.sleep(for: pollInterval)) != nil else { return }
            }
        }
    }
}
