import ArgumentParser
import Foundation
import KuandoSync

/// `kuando map <platform> <event>`: what the connector makes of a state a 3rd-party app reports
/// through the hub, as one JSON line.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Map a kuandoHUB platform and event to a myApps state (the seed's table).",
        discussion: """
            Prints one JSON line: {"platform":…,"event":…,"state":"onthephone"|…|null,"reason":…}.
            An ignored pair has state null and the reason the myApps trace shows.
            Example: kuando map "MS Teams" "On-The-Phone"
            """
    )

    @Argument(help: "The sending application as the hub names it, e.g. \"MS Teams\".")
    var platform: String

    @Argument(help: "The event, e.g. \"On-The-Phone\" or \"Call Alert\".")
    var event: String

    func run() throws {
        print(try MapCommand.line(platform: platform, event: event, outcome: MappingTable.seed.map(platform: platform, event: event)))
    }

    /// The JSON line for one mapping, keys in the documented order: platform, event, state, reason.
    static func line(platform: String, event: String, outcome: MappingTable.Outcome) throws -> String {
        let reason: String? = if case .ignored(let why) = outcome { why.rawValue } else { nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func json(_ value: String?) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let fields = [
            ("platform", try json(platform)), ("event", try json(event)),
            ("state", try json(outcome.state?.rawValue)), ("reason", try json(reason)),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
