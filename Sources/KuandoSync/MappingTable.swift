import Foundation

/// The seed's table from kuandoHUB (platform, event) to a myApps state, loaded from the bundled
/// `mapping-table.json`, so a new platform is a data change, not a code change.
///
/// Names match normalised: case, spaces, hyphens and underscores do not matter, so
/// "Call Alert", "Call-Alert" and "call alert" are one event.
///
/// ```swift
/// MappingTable.seed.map(platform: "MS Teams", event: "On-The-Phone")  // .state(.onthephone)
/// ```
public struct MappingTable: Sendable {
    /// One row of the table: a platform, the events it sends, and the state they mean.
    public struct Row: Codable, Equatable, Sendable {
        public var platform: String
        public var events: [String]
        public var state: PresenceState
        public var aliases: [String]?
        public var eventAliases: [String: [String]]?
    }

    /// The outcome of mapping one (platform, event) pair.
    public enum Outcome: Equatable, Sendable {
        case state(PresenceState)
        case ignored(IgnoreReason)

        public var state: PresenceState? {
            if case .state(let state) = self { return state }
            return nil
        }
    }

    /// Why a pair has no effect. The raw values are the exact trace texts admins search for.
    public enum IgnoreReason: String, Equatable, Sendable {
        case unknownApplication = "transforming: ignored, sending application is unknown"
        case unknownEvent = "transforming: ignored, sending event is unknown"
    }

    public let rows: [Row]
    private let byPlatform: [String: [String: PresenceState]]

    public init(rows: [Row]) {
        self.rows = rows
        var index: [String: [String: PresenceState]] = [:]
        for row in rows {
            var events: [String: PresenceState] = [:]
            for event in row.events + (row.eventAliases ?? [:]).values.flatMap({ $0 }) {
                events[MappingTable.normalise(event)] = row.state
            }
            for platform in [row.platform] + (row.aliases ?? []) {
                index[MappingTable.normalise(platform), default: [:]].merge(events) { first, _ in first }
            }
        }
        byPlatform = index
    }

    /// Loads a table from its JSON form (`{"rows":[{"platform","events","state"}…]}`).
    public init(json: Data) throws {
        struct File: Decodable { var rows: [Row] }
        try self.init(rows: JSONDecoder().decode(File.self, from: json).rows)
    }

    /// The table of the seed, bundled with this module.
    public static let seed: MappingTable = {
        guard let url = Bundle.module.url(forResource: "mapping-table", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let table = try? MappingTable(json: data)
        else {
            preconditionFailure("the bundled mapping-table.json is missing or broken: the build is incomplete")
        }
        return table
    }()

    /// Maps what the hub reports (sending application, event name) to a myApps state.
    public func map(platform: String, event: String) -> Outcome {
        guard let events = byPlatform[MappingTable.normalise(platform)] else {
            return .ignored(.unknownApplication)
        }
        guard let state = events[MappingTable.normalise(event)] else {
            return .ignored(.unknownEvent)
        }
        return .state(state)
    }

    /// The matching key of a name: lower case, without spaces, hyphens and underscores.
    public static func normalise(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter {
            !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "-" && $0 != "_"
        }.map(Character.init))
    }
}
