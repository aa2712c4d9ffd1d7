import Busylight
import Foundation

/// A snapshot of the open hub for people: each lamp and what it shows, and the priority stack
/// with who asks for what and who wins. Served as `/status.json` and drawn by `/status`.
public struct OpenHubStatus: Sendable {
    public var board: HubPriorityBoard
    public var lamps: [LampInfo]

    public init(board: HubPriorityBoard, lamps: [LampInfo]) {
        self.board = board
        self.lamps = lamps
    }

    /// The JSON document `/status.json` serves.
    public var json: HubJSON {
        let winner = board.winner()
        let lampList: [HubJSON] = lamps.map { info in
            let shown = board.notification(forLampAt: info.path) ?? board.winner(forLampAt: info.path)
            let effect = board.effect(forLampAt: info.path)
            return [
                "path": .string(info.path), "model": .string(info.model),
                "vendorID": HubJSON(Int(info.vendorID)), "productID": HubJSON(Int(info.productID)),
                "effect": .string(Self.effectName(effect)), "color": Self.color(effect.color),
                "sender": HubJSON(shown?.sender),
            ]
        }
        let lines: [HubJSON] = board.registry.priorities.enumerated().map { index, line in
            let asking = board.claims.filter { board.rank(of: $0) == index }
            return [
                "rank": HubJSON(index + 1), "sender": .string(line.sender), "eventType": HubJSON(line.eventType),
                "eventNames": .array(line.eventNames.map(HubJSON.string)), "enabled": .bool(line.enabled),
                "claims": .array(asking.map { Self.claim($0, winning: $0 == winner) }),
            ]
        }
        return [
            "winner": winner.map { Self.claim($0, winning: true) } ?? .null,
            "lamps": .array(lampList),
            "priorities": .array(lines),
            "unranked": .array(board.claims.filter { board.rank(of: $0) == nil }.map { Self.claim($0, winning: false) }),
            "notifications": .array(board.notifications.map { Self.claim($0, winning: false) }),
            "dataSources": .array(board.registry.dataSources.map { .string($0.name) }),
        ]
    }

    private static func claim(_ claim: HubClaim, winning: Bool) -> HubJSON {
        [
            "sender": .string(claim.sender), "eventType": HubJSON(claim.eventType),
            "eventName": HubJSON(claim.eventName), "action": HubJSON(claim.action.name.postName),
            "color": color(claim.action.color), "path": HubJSON(claim.path), "winning": .bool(winning),
        ]
    }

    private static func color(_ color: BusylightColor?) -> HubJSON {
        guard let color else { return .null }
        return ["red": HubJSON(Int(color.red)), "green": HubJSON(Int(color.green)), "blue": HubJSON(Int(color.blue))]
    }

    private static func effectName(_ effect: BusylightEffect) -> String {
        switch effect {
        case .solid: "solid"
        case .off: "off"
        case .blink: "blink"
        case .pulse: "pulse"
        case .alert: "alert"
        case .colorWithFlash: "colorWithFlash"
        }
    }
}
