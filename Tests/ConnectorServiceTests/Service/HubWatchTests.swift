import AppWebsocket
import Busylight
import Foundation
import KuandoSync
import TestSupport
import Testing
@testable import ConnectorService

/// A hub on the user's PC is watched by the hidden app: the app polls it there and sends the
/// service only what changes; an app that does not watch is polled through instead.
@Suite(.serialized) struct HubWatchTests {
    @Test func theHiddenAppWatchesTheHubAndItsChangesReachTheSession() async throws {
        try await ServiceRig.run { rig in
            try await rig.useHubOnUsersPC(for: "alice", ["pollIntervalMs": 250])
            let hidden = HiddenAppDouble()
            try await hidden.run(on: rig, as: "alice") {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable && $0.hubTransport == "relay" }
                try await rig.withHubSource("MS Teams") { teams in
                    try await teams.register()
                    try await teams.show(.onthephone, LampAppearance(color: .red))
                    try await rig.status(of: ServiceRig.alice) { $0.hubWinner.sender == "MS Teams" }
                    try await teams.logout()
                    try await rig.status(of: ServiceRig.alice) { $0.hubWinner.sender != "MS Teams" }
                }
                let polled = await eventually { hidden.recorded.watchPolls >= 8 }
                #expect(polled, "the app polls the hub at the interval")
            }
            let recorded = hidden.recorded
            #expect(recorded.watches.count == 1)
            #expect(recorded.watches.first?.intervalMs == 250)
            #expect(recorded.watches.first?.url.hasSuffix("action=currentpresence") == true)
            #expect(recorded.relayedGets == 0, "the service polled through the app although it watches")
            #expect(recorded.reports.count < recorded.watchPolls, "only changes are reported: \(recorded.reports.count) of \(recorded.watchPolls)")
            let problems = try await rig.server.registry.session(for: rig.key(of: ServiceRig.alice)).status.lastErrors
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func anAppThatDoesNotWatchIsPolledThrough() async throws {
        try await ServiceRig.run { rig in
            try await rig.useHubOnUsersPC(for: "alice", ["pollIntervalMs": 250])
            let hidden = HiddenAppDouble(watches: false)
            try await hidden.run(on: rig, as: "alice") {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable && $0.hubTransport == "relay" }
                // No first report within two intervals and the way through myApps: the service polls.
                let polled = await eventually(timeout: .seconds(15)) { hidden.recorded.relayedGets >= 2 }
                #expect(polled, "the service polls the hub through an app that does not watch")
                try await rig.status(of: ServiceRig.alice) { status in
                    status.lastErrors.contains { $0.message.contains("does not watch the hub") }
                }
                try await rig.withHubSource("MS Teams") { teams in
                    try await teams.register()
                    try await teams.show(.onthephone, LampAppearance(color: .red))
                    try await rig.status(of: ServiceRig.alice) { $0.hubWinner.sender == "MS Teams" }
                    try await teams.logout()
                }
            }
        }
    }
}
