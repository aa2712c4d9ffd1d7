import Testing
@testable import KuandoSync

@Suite struct MappingTableSmokeTests {
    @Test func teamsCallIsOnThePhone() {
        #expect(MappingTable.seed.map(platform: "MS Teams", event: "On-The-Phone") == .state(.onthephone))
    }
}
