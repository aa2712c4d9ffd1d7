import Foundation
import TestSupport
import Testing
@testable import KuandoSync

/// The seed's table, transcribed independently of the bundled JSON: each row is checked against
/// the seed text itself, and every event of every row against the bundled table.
struct SeedRow: Sendable, CustomStringConvertible {
    var line: String
    var platform: String
    var events: [String]
    var state: PresenceState

    var description: String { line }
}

let seedRows: [SeedRow] = {
    let call = PresenceState.onthephone
    return [
        SeedRow(line: "3CX Call Alert, On-The-Phone onthephone", platform: "3CX", events: ["Call Alert", "On-The-Phone"], state: call),
        SeedRow(line: "Alcatel Rainbow Office Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "Alcatel Rainbow Office", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "Atos Unify Office Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "Atos Unify Office", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "Avaya Cloud Office Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "Avaya Cloud Office", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "Avaya Workplace Call Alert, In a call onthephone", platform: "Avaya Workplace", events: ["Call Alert", "In a call"], state: call),
        SeedRow(line: "Avaya One-X Communicator Call alert, On-The-Phone onthephone", platform: "Avaya One-X Communicator", events: ["Call alert", "On-The-Phone"], state: call),
        SeedRow(line: "AT&T Office@Hand Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "AT&T Office@Hand", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "BT Cloud Work Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "BT Cloud Work", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "Cisco Jabber Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "Cisco Jabber", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "Ecotel Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "Ecotel", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "Eastlink Call Alert, In-a-Conference, On-The-Phone onthephone", platform: "Eastlink", events: ["Call Alert", "In-a-Conference", "On-The-Phone"], state: call),
        SeedRow(line: "MS Teams On-The-Phone, In-a-Conference, Call Alert onthephone", platform: "MS Teams", events: ["On-The-Phone", "In-a-Conference", "Call Alert"], state: call),
        SeedRow(line: "Plantronics Hub Call Alert, On-The-Phone onthephone", platform: "Plantronics Hub", events: ["Call Alert", "On-The-Phone"], state: call),
        SeedRow(line: "RingCentral Unified Call Alert, On-The-Phone, In-a-Conference onthephone", platform: "RingCentral Unified", events: ["Call Alert", "On-The-Phone", "In-a-Conference"], state: call),
        SeedRow(line: "RingCentral Softphone Call alert, In a call onthephone", platform: "RingCentral Softphone", events: ["Call alert", "In a call"], state: call),
        SeedRow(line: "Slack Call-Alert, On-The-Phone, In-A-Meeting onthephone", platform: "Slack", events: ["Call-Alert", "On-The-Phone", "In-A-Meeting"], state: call),
        SeedRow(line: "Symphony Call Alert, On-The-Phone, In-A-Conference onthephone", platform: "Symphony", events: ["Call Alert", "On-The-Phone", "In-A-Conference"], state: call),
        SeedRow(line: "TELUS Business Connect Call Alert, On-The-Phone, In-a-Conference onthephone", platform: "TELUS Business Connect", events: ["Call Alert", "On-The-Phone", "In-a-Conference"], state: call),
        SeedRow(line: "Broadsoft UC-One Call Alert, On-The-Phone, In-a-Conference onthephone", platform: "Broadsoft UC-One", events: ["Call Alert", "On-The-Phone", "In-a-Conference"], state: call),
        SeedRow(line: "Jabra Call Alert, On-The-Phone onthephone", platform: "Jabra", events: ["Call Alert", "On-The-Phone"], state: call),
        SeedRow(line: "Verizon Call Alert, On-The-Phone, In-a-Conference onthephone", platform: "Verizon", events: ["Call Alert", "On-The-Phone", "In-a-Conference"], state: call),
        SeedRow(line: "Vodafone Call Alert, On-The-Phone, In-a-Conference onthephone", platform: "Vodafone", events: ["Call Alert", "On-The-Phone", "In-a-Conference"], state: call),
        SeedRow(line: "Webex Call Alert, On-The-Phone onthephone", platform: "Webex", events: ["Call Alert", "On-The-Phone"], state: call),
        SeedRow(line: "Zoom Call Alert, In-a-Zoom-Meeting onthephone", platform: "Zoom", events: ["Call Alert", "In-a-Zoom-Meeting"], state: call),
        SeedRow(line: "Manual Changer Available, LTM (listen the music), Off free", platform: "Manual Changer", events: ["Available", "LTM", "Off"], state: .free),
        SeedRow(line: "Manual Changer Busy busy", platform: "Manual Changer", events: ["Busy"], state: .busy),
        SeedRow(line: "Manual Changer Away, NAW (not at work) away", platform: "Manual Changer", events: ["Away", "NAW"], state: .away),
        SeedRow(line: "Manual Changer DND dnd", platform: "Manual Changer", events: ["DND"], state: .dnd),
        SeedRow(line: "Manual Changer Lunch lunch (implicit away with lunch message)", platform: "Manual Changer", events: ["Lunch"], state: .lunch),
    ]
}()

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite struct MappingTableTests {
    /// The specification's text, beside the repository in the team's checkout (not part of it).
    static let seedFile = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/seed/connector-for-kuando-concept.txt")

    static let seedHere: Bool = {
        if FileManager.default.fileExists(atPath: seedFile.path) || OutsidePrograms.requiredHere { return true }
        FileHandle.standardError.write(Data("MappingTableTests: SKIPPED — the seed is not at \(seedFile.path) (CI=true makes this a failure).\n".utf8))
        return false
    }()

    @Test(.enabled(if: seedHere, "needs the seed beside the repository"))
    func theOracleHasTheSeedsTwentyNineRowsVerbatim() throws {
        let seedLines = Set(try String(contentsOf: Self.seedFile, encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(seedRows.count == 29)
        for row in seedRows {
            #expect(seedLines.contains(row.line), "not a line of the seed's table: \(row.line)")
        }
    }

    @Test func theBundledTableHasOneEntryPerSeedRow() {
        let bundled = MappingTable.seed.rows
        #expect(bundled.count == seedRows.count)
        for (entry, row) in zip(bundled, seedRows) {
            #expect(entry.platform == row.platform)
            #expect(entry.events == row.events)
            #expect(entry.state == row.state)
        }
    }

    @Test(arguments: seedRows)
    func everyEventOfTheRowMapsToItsState(row: SeedRow) {
        for event in row.events {
            #expect(MappingTable.seed.map(platform: row.platform, event: event) == .state(row.state), "\(row.platform) / \(event)")
        }
    }

    @Test(arguments: [
        ("MS Teams", "Call Alert"), ("MS Teams", "Call-Alert"), ("MS Teams", "call alert"), ("MS Teams", "CALL_ALERT"),
        ("ms teams", "in a conference"), ("MS-Teams", "In-A-Conference"), ("Slack", "Call Alert"), ("Slack", "in a meeting"),
        ("Zoom", "in a zoom meeting"), ("avaya one x communicator", "Call Alert"), ("Avaya Workplace", "In-a-Call"),
        ("  Webex ", " On The Phone "), ("Microsoft Teams", "On-The-Phone"),
    ])
    func spellingVariantsMapLikeTheSeedsSpelling(platform: String, event: String) {
        #expect(MappingTable.seed.map(platform: platform, event: event) == .state(.onthephone))
    }

    @Test func manualChangerSpellingsAndAliases() {
        let table = MappingTable.seed
        #expect(table.map(platform: "manual changer", event: "ltm") == .state(.free))
        #expect(table.map(platform: "Manual-Changer", event: "Listen the music") == .state(.free))
        #expect(table.map(platform: "Manual Changer", event: "Not at work") == .state(.away))
        #expect(table.map(platform: "Manual Changer", event: "dnd") == .state(.dnd))
        #expect(table.map(platform: "Manual Changer", event: "LUNCH") == .state(.lunch))
    }

    @Test func anUnknownApplicationIsIgnoredWithTheSeedsReason() {
        let outcome = MappingTable.seed.map(platform: "Skype for Business", event: "On-The-Phone")
        #expect(outcome == .ignored(.unknownApplication))
        #expect(MappingTable.IgnoreReason.unknownApplication.rawValue == "transforming: ignored, sending application is unknown")
    }

    @Test func anUnknownEventOfAKnownApplicationIsIgnoredWithTheSeedsReason() {
        #expect(MappingTable.seed.map(platform: "MS Teams", event: "Available") == .ignored(.unknownEvent))
        #expect(MappingTable.seed.map(platform: "Manual Changer", event: "On-The-Phone") == .ignored(.unknownEvent))
        #expect(MappingTable.IgnoreReason.unknownEvent.rawValue == "transforming: ignored, sending event is unknown")
    }

    @Test func aNewPlatformIsADataChange() throws {
        let json = Data(#"{"rows":[{"platform":"Skype","events":["In a call"],"state":"onthephone"}]}"#.utf8)
        let table = try MappingTable(json: json)
        #expect(table.map(platform: "skype", event: "in-a-call") == .state(.onthephone))
        #expect(table.map(platform: "MS Teams", event: "On-The-Phone") == .ignored(.unknownApplication))
    }

    @Test func normalisingIgnoresCaseSpacesHyphensAndUnderscores() {
        #expect(MappingTable.normalise("In-a_Zoom Meeting") == "inazoommeeting")
        #expect(MappingTable.normalise("AT&T Office@Hand") == "at&toffice@hand")
    }
}
