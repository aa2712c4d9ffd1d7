import TestSupport
import Testing

/// `kuando demo` run as a newcomer would, with its output in a pipe (no terminal, so no colours).
@Suite struct DemoCommandTests {
    /// The story's lines by step id (`1a`, `1b`, … `5`).
    func stepLines(_ stdout: String) -> [String: String] {
        var lines: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            guard let id = line.split(separator: " ").first, id.first?.isNumber == true else { continue }
            lines[String(id)] = String(line)
        }
        return lines
    }

    @Test func theSeedFlowHoldsAndEachStepPrintsOneLineWithTheLampAndWhatWasSeen() async throws {
        let result = try await KuandoProcess.run("demo")
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}["), "no ANSI colours when stdout is not a terminal")
        let lines = stepLines(result.stdout)
        #expect(lines.keys.sorted() == ["1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c", "5"])
        let expected: [(id: String, parts: [String])] = [
            ("1a", ["ringing", "#FF0000 blink"]),
            ("1b", ["on the phone", "#FF0000 solid"]),
            ("1c", ["free", "#000000 off"]),
            ("2a", ["Teams", "alien call", "MS Teams"]),
            ("2b", ["removes the alien call", "#000000 off"]),
            ("3a", ["DND", "#A100FF solid"]),
            ("3b", ["Manual Changer", "#A100FF solid", "presence stays dnd"]),
            ("4a", ["#FFB500 solid", "presence is away"]),
            ("4b", ["Lunch", "#FFB500 pulse", #"note "lunch""#]),
            ("4c", ["available", "#000000 off"]),
            ("5", ["Acme Chat", "transforming: ignored, sending application is unknown", "PBX is unchanged"]),
        ]
        for (id, parts) in expected {
            let line = lines[id] ?? ""
            for part in parts {
                #expect(line.contains(part), "step \(id): \(line)")
            }
            #expect(line.hasSuffix(" ms"), "step \(id) ends with its time: \(line)")
        }
        #expect(result.stdout.contains("all 11 steps held"))
    }
}
