extension BusylightReport {
    /// Decodes a report: the inverse of ``bytes``.
    ///
    /// Checks the length and the checksum; an all-zero step marks the end of the program. Colour
    /// bytes above 100 are read as 100 (what the lamp shows). Bytes 59–61 are not checked: the
    /// specification fills them with `FF`, other implementations send `00 0F FF` and the lamps
    /// accept both.
    ///
    /// - Throws: ``BusylightReportError``.
    public init(bytes: [UInt8]) throws(BusylightReportError) {
        guard bytes.count == Self.length else { throw .wrongLength(bytes.count) }
        let stored = UInt16(bytes[62]) << 8 | UInt16(bytes[63])
        let computed = Self.checksum(of: bytes)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }

        var steps: [BusylightStep] = []
        var firstUnused: Int?
        for index in 0..<Self.maximumSteps {
            let slot = Array(bytes[index * 8..<index * 8 + 8])
            if slot.allSatisfy({ $0 == 0 }) {
                firstUnused = firstUnused ?? index
                continue
            }
            if let firstUnused { throw .unusedStepInsideProgram(step: firstUnused) }
            guard let command = BusylightStep.Command(byte: slot[0]) else {
                throw .unknownCommand(step: index, byte: slot[0])
            }
            steps.append(BusylightStep(
                command: command, repeatCount: slot[1],
                color: BusylightColor(red: Int(slot[2]), green: Int(slot[3]), blue: Int(slot[4])),
                onTime: slot[5], offTime: slot[6], audio: BusylightAudio(byte: slot[7])))
        }
        self.init(steps: steps, footer: Footer(sensitivity: bytes[56], timeout: bytes[57], triggerTime: bytes[58]))
    }

    /// Whether this report only keeps the lamp alive (step 0 is a keep-alive command).
    public var isKeepAlive: Bool {
        if case .keepAlive = steps.first?.command { true } else { false }
    }
}
