/// The presence states myApps knows, as named in the seed's mapping table.
///
/// `lunch` is not a PBX activity of its own: it is `away` with the note `lunch`.
/// `onthephone` is what a call shows; on the PBX it is an "alien call" (or `busy`
/// with a note on PBXs without alien calls), never a plain activity.
public enum PresenceState: String, CaseIterable, Codable, Sendable {
    case free
    case busy
    case away
    case dnd
    case onthephone
    case lunch

    /// The PbxApi `activity` string for this state: `""` (available), `busy`, `away` or `dnd`.
    public var pbxActivity: String {
        switch self {
        case .free: ""
        case .busy, .onthephone: "busy"
        case .away, .lunch: "away"
        case .dnd: "dnd"
        }
    }

    /// The PbxApi `note` this state carries; only `lunch` has one.
    public var pbxNote: String {
        self == .lunch ? "lunch" : ""
    }

    /// The PBX presence that shows this state.
    public var pbxPresence: PBXPresence {
        PBXPresence(activity: pbxActivity, note: pbxNote)
    }
}
