import AppWebsocket
import Foundation
import KuandoHub
import KuandoSync
import PBXSimulator
import Synchronization
import TestSupport
import Testing
@testable import ConnectorService

/// The hidden app that relays a hub on the user's PC goes away and comes back (myApps closed and
/// opened again): the hub gets the latest state once, not the states it missed.
@Suite(.serialized) struct RelayReconnectTests {
    @Test func afterTheRelayReconnectsTheLatestStateIsDeliveredOnce() async throws {
        try await ServiceRig.run { rig in
            try await rig.useHubOnUsersPC(for: "alice")
            let call = try await rig.pbx.startIncomingCall(to: "alice", from: "0301234")
            let firstRelay = HiddenAppDouble()
            try await firstRelay.run(on: rig, as: "alice") {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable && $0.hubTransport == "relay" }
                try await rig.pbx.connect(call)
                try await rig.lampShows("on the phone through the relay") { $0.effect == .solid(.red) }
            }
            #expect(firstRelay.shows.last == LampState.onthephone.hubEventName)
            try await rig.status(of: ServiceRig.alice) { !$0.hubReachable }

            // While no relay runs the call is held, retrieved and held again.
            try await rig.pbx.hold(call)
            try await rig.pbx.retrieve(call)
            try await rig.pbx.hold(call)
            try await rig.status(of: ServiceRig.alice) { $0.calls.first?.phase == .held }

            let secondRelay = HiddenAppDouble()
            try await secondRelay.run(on: rig, as: "alice") {
                try await rig.status(of: ServiceRig.alice) { $0.hubReachable }
                // Several polls later nothing else was claimed.
                let polled = await eventually { secondRelay.recorded.watchPolls >= 3 }
                #expect(polled, "the new hidden app watches the hub")
            }
            #expect(secondRelay.shows == [LampState.held.hubEventName], "the latest state once, not the missed ones: \(secondRelay.shows)")
            #expect(secondRelay.recorded.posts.first?.action.name == .registerDataSource, "registered again on the new relay")
        }
    }
}
