/// A user's own (`tel:`) presence as the PBX reports it in PbxApi `PresenceUpdate`.
///
/// Activities are kept as the PBX sends them: the documented ones are `""`, `away`,
/// `busy` and `dnd`, but PBXs may add more, so unknown strings are carried, not refused.
public struct PBXPresence: Equatable, Hashable, Sendable, Codable {
    public var activity: String
    public var note: String

    public init(activity: String, note: String = "") {
        self.activity = activity
        self.note = note
    }

    /// Available: no activity set.
    public static let available = PBXPresence(activity: "")

    public var isAvailable: Bool { activity.isEmpty }

    /// The myApps state this presence shows, or nil for an activity the seed does not name.
    public var state: PresenceState? {
        switch activity {
        case "": .free
        case "busy": .busy
        case "dnd": .dnd
        case "away": note.lowercased() == "lunch" ? .lunch : .away
        default: nil
        }
    }
}
