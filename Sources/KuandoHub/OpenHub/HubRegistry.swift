import Foundation

/// What the open hub keeps across restarts: the registered data sources and the priority list.
///
/// A fresh hub knows its built-in sources and ranks them, top first: `kuando TIMER` (a timer
/// the user started), `Manual Controls` (a colour the user picked at the hub), then `HTTP` (GET
/// requests from scripts) at the bottom. Lines that `CreateInitialPriority` adds go just above
/// `HTTP`, in the order sources first asked: a UC app's state beats a script's, and the
/// user's own choices at the hub beat both (see docs/kuandohub-api.md).
public struct HubRegistry: Equatable, Sendable, Codable {
    public var dataSources: [HubDataSource]
    /// Highest priority first.
    public var priorities: [HubPriorityLine]

    public init(dataSources: [HubDataSource], priorities: [HubPriorityLine]) {
        self.dataSources = dataSources
        self.priorities = priorities
    }

    public static let httpSource = "HTTP"
    public static let manualControlsSource = "Manual Controls"
    public static let timerSource = "kuando TIMER"

    /// The built-in data sources, always present.
    public static let builtInSources = [
        HubDataSource(name: httpSource, eventTypes: [
            "Light": HubEventTypeNames(eventNames: ["Light", "Blink", "Pulse", "ColorWithFlash"]),
            "Alert": HubEventTypeNames(eventNames: ["Alert", "Jingle"], isAlertPriority: true),
        ]),
        HubDataSource(name: manualControlsSource),
        HubDataSource(name: timerSource, eventTypes: ["Timer": HubEventTypeNames(eventNames: ["Running", "Paused"])]),
    ]

    /// A fresh hub: the built-in sources, ranked timer, manual controls, HTTP.
    public static let defaults = HubRegistry(
        dataSources: builtInSources,
        priorities: [timerSource, manualControlsSource, httpSource].map { HubPriorityLine(sender: $0) })

    /// Adds or replaces a data source by name; true when anything changed.
    public mutating func register(_ source: HubDataSource) -> Bool {
        if let index = dataSources.firstIndex(where: { $0.name == source.name }) {
            guard dataSources[index] != source else { return false }
            dataSources[index] = source
        } else {
            dataSources.append(source)
        }
        return true
    }

    /// Adds `line` unless its sender already has a line; true when it was added.
    ///
    /// The new line goes just above the first `HTTP` line, or last when there is none.
    public mutating func addInitialPriority(_ line: HubPriorityLine) -> Bool {
        guard !priorities.contains(where: { $0.sender == line.sender }) else { return false }
        if line.sender != Self.httpSource, let http = priorities.firstIndex(where: { $0.sender == Self.httpSource }) {
            priorities.insert(line, at: http)
        } else {
            priorities.append(line)
        }
        return true
    }

    /// This registry with any missing built-in source added back (priority lines stay as they are).
    public var withBuiltIns: HubRegistry {
        var copy = self
        for source in Self.builtInSources where !copy.dataSources.contains(where: { $0.name == source.name }) {
            copy.dataSources.append(source)
        }
        return copy
    }
}
