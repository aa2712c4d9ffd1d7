/// A kuando Busylight reached through Linux hidraw (`/dev/hidrawN`).
///
/// Each ``apply(_:)`` writes one report. While the effect shows anything the lamp gets a
/// keep-alive (`0x8F`, "stay on 15 s") every ``HidrawLampInventory/keepAliveInterval`` after the
/// last write, so it never goes dark on its own; a dark effect stops the keep-alives. Lamps are
/// actors of their own, so several lamps are written in parallel.
///
/// Made by ``HidrawLampInventory``; a lamp unplugged since then throws
/// ``HidrawLampError/unplugged(path:)``.
public actor HidrawLamp: Lamp {
    public nonisolated let info: LampInfo
    private let device: HidrawDevice
    private let clock: LampClock
    private let keepAliveInterval: Duration
    /// Counts writes of effects; a keep-alive loop only writes while its generation is current.
    private var generation = 0
    private var keepAliveTask: Task<Void, Never>?
    /// The effect last written, `nil` before the first and after a failed write.
    public private(set) var effect: BusylightEffect?
    /// The error of the last keep-alive that failed, e.g. because the lamp was unplugged.
    public private(set) var keepAliveError: HidrawLampError?

    init(info: LampInfo, clock: LampClock, keepAliveInterval: Duration) {
        self.info = info
        self.device = HidrawDevice(path: info.path)
        self.clock = clock
        self.keepAliveInterval = keepAliveInterval
    }

    /// Writes the program for `effect`, then keeps the lamp alive while the effect shows anything.
    ///
    /// - Throws: ``HidrawLampError``, e.g. ``HidrawLampError/permissionDenied(path:)`` when the
    ///   udev rule is not installed.
    public func apply(_ effect: BusylightEffect) async throws {
        try write(effect)
    }

    /// Writes ``BusylightEffect/off`` (ignoring a lamp that is gone) and stops the keep-alives.
    public func stop() async {
        try? write(.off)
        endKeepAlive()
    }

    /// Stops the keep-alives without writing: the lamp is gone.
    func detach() {
        endKeepAlive()
    }

    private func write(_ effect: BusylightEffect) throws(HidrawLampError) {
        endKeepAlive()
        self.effect = nil
        try device.write(BusylightReport(effect: effect).bytes)
        self.effect = effect
        keepAliveError = nil
        if effect.showsAnything {
            startKeepAlive(after: clock.now())
        }
    }

    private func endKeepAlive() {
        generation += 1
        keepAliveTask?.cancel()
        keepAliveTask = nil
    }

    /// Keep-alives at `start` + interval, + 2 intervals, …; deadlines are fixed when the effect is
    /// written, so the cadence does not drift and tests can move the clock at any moment.
    private func startKeepAlive(after start: Duration) {
        let generation = generation
        let clock = clock
        let interval = keepAliveInterval
        keepAliveTask = Task {
            var deadline = start + interval
            while true {
                do {
                    try await clock.sleep(deadline)
                } catch {
                    return
                }
                guard self.sendKeepAlive(generation: generation) else { return }
                deadline += interval
            }
        }
    }

    /// Writes a keep-alive if `generation` is still current; `false` ends the loop.
    private func sendKeepAlive(generation: Int) -> Bool {
        guard generation == self.generation else { return false }
        do {
            try device.write(BusylightReport.keepAlive.bytes)
            return true
        } catch {
            keepAliveError = error
            effect = nil
            return false
        }
    }
}
