/// What runs one user's hub link.
enum HubLinkRunner {
    case scheduled(HubPollScheduler.Ticket)
    case task(Task<Void, Never>)

    func stop() {
        switch self {
        case .scheduled(let ticket): ticket.cancel()
        case .task(let task): task.cancel()
        }
    }
}
