import Foundation
import Synchronization
import Testing
@testable import ConnectorService

@Suite struct HubNetworkPolicyTests {
    let office = HubNetworkPolicy(allowed: [IPNetwork("10.0.0.0/8")!, IPNetwork("fd00::/8")!]) { host in
        switch host {
        case "pc-17.office": [IPAddress("10.1.2.17")!]
        case "rebind.example": [IPAddress("10.1.2.3")!, IPAddress("169.254.169.254")!]
        default: []
        }
    }

    @Test func aHubOnTheUsersOwnPCIsRelayedWhateverTheNetworks() async throws {
        let none = HubNetworkPolicy(allowed: [])
        #expect(try await none.route(for: "http://localhost:8989/") == .relay(URL(string: "http://localhost:8989/")!))
        #expect(try await none.route(for: "http://127.0.0.1:8989/") == .relay(URL(string: "http://127.0.0.1:8989/")!))
        #expect(try await none.route(for: "http://[::1]:8989/") == .relay(URL(string: "http://[::1]:8989/")!))
    }

    @Test func namesThatLookLocalAreNotLocal() async {
        let none = HubNetworkPolicy(allowed: []) { _ in [IPAddress("127.0.0.1")!] }
        for url in ["http://127.evil.example:8989/", "http://hub.localhost:8989/"] {
            await #expect(throws: HubRouteError.self, "\(url)") { try await none.route(for: url) }
        }
        // Even with --direct-local-hubs: only exactly `localhost` or a loopback literal is local.
        let direct = HubNetworkPolicy(allowed: [], localHubsDirect: true) { _ in [IPAddress("127.0.0.1")!] }
        await #expect(throws: HubRouteError.notAllowed(host: "127.evil.example", allowed: [])) {
            try await direct.route(for: "http://127.evil.example:8989/")
        }
    }

    @Test func directLocalHubsCallLocalhostAtItsLoopbackAddressOnly() async throws {
        let loopback = HubNetworkPolicy(allowed: [], localHubsDirect: true) { host in host == "localhost" ? [IPAddress("::1")!, IPAddress("127.0.0.1")!] : [] }
        #expect(try await loopback.route(for: "http://localhost:8989/") == .direct(connectURL: URL(string: "http://[::1]:8989/")!, hostHeader: "localhost:8989"))
        #expect(try await loopback.route(for: "http://127.0.0.1:8989/") == .direct(connectURL: URL(string: "http://127.0.0.1:8989/")!, hostHeader: "127.0.0.1:8989"))
        // A hosts file (or resolver) that points localhost elsewhere does not get the service to call there.
        let hijacked = HubNetworkPolicy(allowed: [], localHubsDirect: true) { _ in [IPAddress("10.9.9.9")!] }
        await #expect(throws: HubRouteError.notLoopback(host: "localhost", addresses: [IPAddress("10.9.9.9")!])) {
            try await hijacked.route(for: "http://localhost:8989/")
        }
    }

    @Test func aResolverThatNeverAnswersIsGivenUpOnAtTheDeadline() async {
        // As a blocked getaddrinfo: it heeds no cancellation and answers only when the test lets it.
        let waiting = Mutex<[CheckedContinuation<[IPAddress], Never>]>([])
        let stuck = HubNetworkPolicy(allowed: [IPNetwork("10.0.0.0/8")!], resolveDeadline: .milliseconds(200)) { _ in
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }
        await #expect(throws: HubRouteError.resolveTimedOut(host: "stuck.office", after: .milliseconds(200))) {
            try await stuck.route(for: "http://stuck.office:8989/")
        }
        for continuation in waiting.withLock({ $0 }) { continuation.resume(returning: []) }
    }

    @Test func theSystemResolverAnswersOffTheCallersThread() async {
        #expect(await HubNetworkPolicy.systemResolve("localhost").contains { $0.isLoopback })
        #expect(await HubNetworkPolicy.systemResolve("nowhere.invalid").isEmpty)
    }

    @Test func remoteHubsAreRefusedWhenTheAdminAllowedNoNetwork() async {
        await #expect(throws: HubRouteError.notAllowed(host: "10.1.2.3", allowed: [])) {
            try await HubNetworkPolicy(allowed: []).route(for: "http://10.1.2.3:8989/")
        }
        let message = HubRouteError.notAllowed(host: "10.1.2.3", allowed: []).description
        #expect(message.contains("--allow-hub-network"))
    }

    @Test func aHubInsideAnAllowedNetworkIsCalledDirectlyAtTheCheckedAddress() async throws {
        #expect(try await office.route(for: "http://10.1.2.3:8989/") == .direct(connectURL: URL(string: "http://10.1.2.3:8989/")!, hostHeader: "10.1.2.3:8989"))
        #expect(try await office.route(for: "http://pc-17.office:8989/") == .direct(connectURL: URL(string: "http://10.1.2.17:8989/")!, hostHeader: "pc-17.office:8989"))
        #expect(try await office.route(for: "http://[fd00::17]:8989/") == .direct(connectURL: URL(string: "http://[fd00::17]:8989/")!, hostHeader: "[fd00::17]:8989"))
    }

    @Test(arguments: ["http://192.168.1.1:8989/", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]:8989/", "http://rebind.example:8989/"])
    func addressesOutsideTheAllowedNetworksAreRefused(url: String) async {
        await #expect(throws: HubRouteError.self) { try await office.route(for: url) }
    }

    @Test func unresolvableAndInvalidURLsSayWhy() async {
        await #expect(throws: HubRouteError.unresolvable("nowhere.invalid")) { try await office.route(for: "http://nowhere.invalid:8989/") }
        await #expect(throws: HubRouteError.self) { try await office.route(for: "gopher://10.1.2.3/") }
    }

    @Test func networksMatchByPrefix() {
        let net = IPNetwork("192.168.4.0/22")!
        #expect(net.contains(IPAddress("192.168.7.255")!))
        #expect(!net.contains(IPAddress("192.168.8.0")!))
        #expect(IPNetwork("10.0.0.0/8")!.contains(IPAddress("::ffff:10.9.8.7")!))
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("banana/8") == nil)
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPAddress("8.8.8.8")!))
        #expect(!IPNetwork("0.0.0.0/0")!.contains(IPAddress("::1")!))
    }
}
