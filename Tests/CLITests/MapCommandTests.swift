import TestSupport
import Testing

@Suite struct MapCommandTests {
    @Test func aKnownPairPrintsTheStateAsOneJSONLine() async throws {
        let result = try await KuandoProcess.run("map", "MS Teams", "On-The-Phone")
        #expect(result.status == 0)
        #expect(result.stdout == #"{"platform":"MS Teams","event":"On-The-Phone","state":"onthephone","reason":null}"# + "\n")
    }

    @Test func anIgnoredPairPrintsNullAndTheReason() async throws {
        let unknownApp = try await KuandoProcess.run("map", "Skype", "On-The-Phone")
        #expect(unknownApp.status == 0)
        #expect(unknownApp.stdout == #"{"platform":"Skype","event":"On-The-Phone","state":null,"reason":"transforming: ignored, sending application is unknown"}"# + "\n")
        let unknownEvent = try await KuandoProcess.run("map", "Zoom", "Lunch")
        #expect(unknownEvent.stdout.contains(#""state":null,"reason":"transforming: ignored, sending event is unknown""#))
    }

    @Test func missingArgumentsExit64WithUsage() async throws {
        let result = try await KuandoProcess.run("map", "MS Teams")
        #expect(result.status == 64)
        #expect(result.stderr.contains("Usage: kuando map <platform> <event>"))
    }
}
