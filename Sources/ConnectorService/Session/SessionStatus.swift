import Foundation
import KuandoSync

/// What the config app's status panel shows for one user: PBX calls and presence, what the hub
/// shows and from which app, and the last errors.
public struct SessionStatus: Equatable, Sendable, Codable {
    public struct Call: Equatable, Sendable, Codable {
        public var id: String
        public var direction: CallDirection
        public var phase: CallPhase
    }

    /// One thing that went wrong, in words for the user or admin.
    public struct Problem: Equatable, Sendable, Codable {
        public var time: Date
        public var message: String
    }

    public var licensed: Bool
    public var calls: [Call]
    public var pbxPresence: PBXPresence
    public var manualPresence: PBXPresence?
    public var hubWinner: HubWinner
    /// What the connector claims on the hub, nil when nothing.
    public var shownOnHub: LampState?
    /// The app whose call marks the user on the phone on the PBX.
    public var thirdPartyCall: String?
    public var hubReachable: Bool
    /// `direct` or `relay`, and nil while no hub is configured for this user.
    public var hubTransport: String?
    public var lastErrors: [Problem]

    public static let empty = SessionStatus(
        licensed: false, calls: [], pbxPresence: .available, manualPresence: nil, hubWinner: .none, shownOnHub: nil,
        thirdPartyCall: nil, hubReachable: false, hubTransport: nil, lastErrors: [])

    /// How many errors the panel keeps.
    public static let errorLimit = 10
}
