import Busylight
import Foundation
import KuandoHub
import Testing

@Suite struct HubPriorityBoardTests {
    private let red = BusylightColor(red: 100, green: 0, blue: 0)
    private let green = BusylightColor(red: 0, green: 100, blue: 0)
    private let blue = BusylightColor(red: 0, green: 0, blue: 100)

    private func registered(_ senders: String...) -> HubPriorityBoard {
        var board = HubPriorityBoard()
        for sender in senders {
            board.apply(HubRequest(.createInitialPriority(HubPriorityLine(sender: sender))), origin: .post)
        }
        return board
    }

    @Test func newLinesGoAboveHTTPBelowTheUsersOwnControls() {
        let board = registered("MS Teams", "Zoom", "MS Teams")
        #expect(board.registry.priorities.map(\.sender) == ["kuando TIMER", "Manual Controls", "MS Teams", "Zoom", "HTTP"])
    }

    @Test func aGETCommandIsBookedUnderHTTPAndLosesToARegisteredSource() {
        var board = registered("Zoom")
        board.apply(HubRequest(.light(green)), origin: .get)
        #expect(board.winner()?.sender == "HTTP")
        #expect(board.runningCommand().parameter == ["action": "light", "red": 0, "green": 100, "blue": 0])
        board.apply(HubRequest(.blink(red, onTime: 5, offTime: 5), sender: "Zoom"), origin: .post)
        #expect(board.winner()?.sender == "Zoom")
        board.apply(HubRequest(.off), origin: .get)
        #expect(board.winner()?.sender == "Zoom")
    }

    @Test func aStateWithoutAnEnabledLineNeverShows() {
        var board = HubPriorityBoard()
        board.apply(HubRequest(.light(red), sender: "Unregistered"), origin: .post)
        #expect(board.winner() == nil)
        #expect(board.effect(forLampAt: "/dev/hidraw0") == .off)
        #expect(board.claims.count == 1)
    }

    @Test func aCommandWithAPathDrivesOnlyThatLamp() {
        var board = registered("Zoom")
        board.apply(HubRequest(.light(green)), origin: .get)
        board.apply(HubRequest(.light(red), sender: "Zoom", path: "/dev/hidraw1"), origin: .post)
        #expect(board.effect(forLampAt: "/dev/hidraw0") == .solid(green))
        #expect(board.effect(forLampAt: "/dev/hidraw1") == .solid(red))
        #expect(board.winner()?.sender == "HTTP")
    }

    @Test func aNotificationShowsOverTheWinnerUntilStopped() {
        var board = registered("Zoom")
        board.apply(HubRequest(.light(green), sender: "Zoom"), origin: .post)
        let missed = HubRequest(.startNotification(blue), sender: "Zoom", eventType: "Light", eventName: "Missed Call")
        board.apply(missed, origin: .post)
        #expect(board.effect(forLampAt: "/dev/hidraw0") == .solid(blue))
        #expect(board.runningCommand().sender == "Zoom")
        board.apply(HubRequest(.stopNotification, sender: "Zoom", eventType: "Light", eventName: "Missed Call"), origin: .post)
        #expect(board.effect(forLampAt: "/dev/hidraw0") == .solid(green))
    }

    @Test func logoutClearsStatesAndNotificationsOfThatSourceOnly() {
        var board = registered("Zoom", "MS Teams")
        board.apply(HubRequest(.light(green), sender: "Zoom"), origin: .post)
        board.apply(HubRequest(.startNotification(blue), sender: "Zoom"), origin: .post)
        board.apply(HubRequest(.light(red), sender: "MS Teams"), origin: .post)
        board.apply(HubRequest(.logout, sender: "Zoom"), origin: .post)
        #expect(board.claims.map(\.sender) == ["MS Teams"])
        #expect(board.notifications.isEmpty)
    }

    @Test func aDisabledLineStopsItsSourceFromShowing() {
        var board = HubPriorityBoard(registry: HubRegistry(
            dataSources: HubRegistry.builtInSources,
            priorities: [HubPriorityLine(sender: "Zoom", enabled: false), HubPriorityLine(sender: "HTTP")]))
        board.apply(HubRequest(.light(red), sender: "Zoom"), origin: .post)
        board.apply(HubRequest(.light(green)), origin: .get)
        #expect(board.winner()?.sender == "HTTP")
    }

    @Test func theTimerRunsAboveEverythingAndStopsCleanly() {
        var board = registered("Zoom")
        board.apply(HubRequest(.light(green), sender: "Zoom"), origin: .post)
        board.apply(HubRequest(.kuandoTimer(.start)), origin: .get)
        #expect(board.winner()?.sender == "kuando TIMER")
        board.apply(HubRequest(.kuandoTimer(.stop)), origin: .get)
        #expect(board.winner()?.sender == "Zoom")
    }

    @Test func registeringTheSameSourceTwiceChangesNothingTheSecondTime() {
        var board = HubPriorityBoard()
        let source = HubDataSource(name: "Zoom", eventTypes: ["Call": HubEventTypeNames(eventNames: ["On-The-Phone"])])
        let first = board.apply(HubRequest(.registerDataSource(source)), origin: .post)
        let second = board.apply(HubRequest(.registerDataSource(source)), origin: .post)
        #expect(first && !second)
        #expect(board.registry.dataSources.filter { $0.name == "Zoom" }.count == 1)
    }
}

@Suite struct HubRegistryFileTests {
    @Test func anUnreadableFileStopsTheHubWithAMessageSayingWhatToDo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-hub-\(UUID().uuidString).json").path
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: HubConfigError.self) { try HubRegistryFile(path: path).load() }
        #expect(error?.message.contains("move it away to start from the defaults") == true)
    }

    @Test func aMissingFileMeansTheDefaultsAndSavedBuiltInsComeBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kuando-hub-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = HubRegistryFile(path: path)
        #expect(try file.load() == .defaults)
        try file.save(HubRegistry(dataSources: [], priorities: [HubPriorityLine(sender: "Zoom")]))
        let loaded = try file.load()
        #expect(loaded.priorities == [HubPriorityLine(sender: "Zoom")])
        #expect(loaded.dataSources.map(\.name) == HubRegistry.builtInSources.map(\.name))
    }
}
