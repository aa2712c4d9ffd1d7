import Busylight
import Foundation
import Logging

/// The open hub's brain: decodes requests, arbitrates with ``HubPriorityBoard``, keeps the
/// config file, and drives the lamps. It knows nothing of HTTP servers; ``OpenHubServer``
/// feeds it.
///
/// The winner drives every lamp at once (each lamp gets the state meant for all lamps or for
/// its own `path`); with no winner the lamps are dark. A request that fails (400, 404) changes
/// nothing.
public actor OpenHub {
    private let inventory: any LampInventory
    private let registryFile: HubRegistryFile?
    private let logger: Logger
    public private(set) var board: HubPriorityBoard
    /// What each lamp was last told, by path.
    private var shown: [String: BusylightEffect] = [:]
    private var failingLamps: Set<String> = []
    private var lampSync: Task<Void, Never>?
    private var lampSyncAgain = false
    /// The last `currentpresence` answer, encoded: polls ask for it every second and it changes
    /// far less often.
    private var lastPresenceReply: (command: HubRunningCommand, body: Data)?

    /// - Parameter registryFile: where data sources and priorities persist; nil keeps them in memory.
    /// - Throws: ``HubConfigError`` when the file exists but cannot be read.
    public init(
        inventory: any LampInventory, registryFile: HubRegistryFile? = nil,
        logger: Logger = Logger(label: "kuando.hub")
    ) throws {
        self.inventory = inventory
        self.registryFile = registryFile
        self.logger = logger
        self.board = HubPriorityBoard(registry: try registryFile?.load() ?? .defaults)
    }

    /// Answers a GET query (the part after `?`, still URL-encoded).
    public func handleGET(query: String) async -> HubHTTPResponse {
        do {
            guard let request = try HubRequest(getQuery: query) else { return HubHTTPResponse(status: 200, body: HubReply.ok) }
            return await handle(request, origin: .get)
        } catch {
            return Self.malformed(error)
        }
    }

    /// Answers a POST body.
    public func handlePOST(body: Data) async -> HubHTTPResponse {
        do {
            return await handle(try HubRequest(postBody: body), origin: .post)
        } catch {
            return Self.malformed(error)
        }
    }

    /// Answers a decoded request.
    public func handle(_ request: HubRequest, origin: HubPriorityBoard.Origin) async -> HubHTTPResponse {
        if case .currentPresence = request.action { return presenceReply(forLampAt: request.path) }
        // A real inventory rescans the devices: only when the answer needs the lamps.
        let lamps = request.action.name.needsLamp || request.action.name == .busylightDevices ? await inventory.lamps() : []
        if request.action.name.needsLamp {
            if lamps.isEmpty {
                return HubHTTPResponse(status: 404, body: HubReply.error("no Busylight is connected: plug one in"))
            }
            if let path = request.path, !lamps.contains(where: { $0.info.path == path }) {
                return HubHTTPResponse(
                    status: 404,
                    body: HubReply.error("no Busylight at path \(path): busylightdevices lists the connected ones"))
            }
        }
        switch request.action {
        case .busylightDevices:
            return HubHTTPResponse(status: 200, body: HubDevice.replyBody(lamps.map { HubDevice($0.info) }))
        default:
            if let refusal = board.refusal(for: request) {
                return HubHTTPResponse(status: 429, body: HubReply.error(refusal))
            }
            var next = board
            if next.apply(request, origin: origin), let registryFile {
                do {
                    try registryFile.save(next.registry)
                } catch {
                    logger.error("\(error)")
                    return HubHTTPResponse(status: 500, body: HubReply.error("\(error)"))
                }
            }
            board = next
            logger.debug("\(request.action.name.rawValue) from \(request.sender ?? HubRegistry.httpSource)")
            await syncLamps()
            return HubHTTPResponse(status: 200, body: HubReply.ok)
        }
    }

    private func presenceReply(forLampAt path: String?) -> HubHTTPResponse {
        let running = board.runningCommand(forLampAt: path)
        if let last = lastPresenceReply, last.command == running { return HubHTTPResponse(status: 200, body: last.body) }
        let body = running.replyBody
        lastPresenceReply = (running, body)
        return HubHTTPResponse(status: 200, body: body)
    }

    /// Tells every connected lamp what it should show, where that changed. Concurrent callers
    /// share one pass; a caller returns once its change reached the lamps.
    public func syncLamps() async {
        if let running = lampSync {
            lampSyncAgain = true
            await running.value
            return
        }
        let task = Task { await self.runLampSync() }
        lampSync = task
        await task.value
    }

    /// Darkens every lamp; the hub's last act when it stops.
    public func darkenLamps() async {
        let lamps = await inventory.lamps()
        await withTaskGroup(of: Void.self) { group in
            for lamp in lamps {
                group.addTask { try? await lamp.apply(.off) }
            }
        }
        shown.removeAll()
    }

    /// The hub as the status page shows it.
    public func status() async -> OpenHubStatus {
        OpenHubStatus(board: board, lamps: await inventory.lamps().map(\.info))
    }

    private func runLampSync() async {
        repeat {
            lampSyncAgain = false
            await applyEffects()
        } while lampSyncAgain
        lampSync = nil
    }

    private func applyEffects() async {
        let lamps = await inventory.lamps()
        let present = Set(lamps.map(\.info.path))
        shown = shown.filter { present.contains($0.key) }
        let changes = lamps.compactMap { lamp -> (any Lamp, BusylightEffect)? in
            let effect = board.effect(forLampAt: lamp.info.path)
            return shown[lamp.info.path] == effect ? nil : (lamp, effect)
        }
        let results = await withTaskGroup(of: (String, BusylightEffect, (any Error)?).self) { group in
            for (lamp, effect) in changes {
                group.addTask {
                    do {
                        try await lamp.apply(effect)
                        return (lamp.info.path, effect, nil)
                    } catch {
                        return (lamp.info.path, effect, error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (path, effect, error) in results {
            if let error {
                // Log a failing lamp once, not on every pass; it is retried on the next change or refresh.
                if failingLamps.insert(path).inserted { logger.warning("lamp \(path) cannot be driven: \(error)") }
            } else {
                if failingLamps.remove(path) != nil { logger.notice("lamp \(path) is driven again") }
                shown[path] = effect
            }
        }
    }

    private static func malformed(_ error: any Error) -> HubHTTPResponse {
        HubHTTPResponse(status: 400, body: HubReply.error("\(error)"))
    }
}
