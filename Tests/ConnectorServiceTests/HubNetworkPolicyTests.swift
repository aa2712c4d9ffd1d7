import Foundation
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

    @Test func aHubOnTheUsersOwnPCIsRelayedWhateverTheNetworks() throws {
        let none = HubNetworkPolicy(allowed: [])
        #expect(try none.route(for: "http://localhost:8989/") == .relay(URL(string: "http://localhost:8989/")!))
        #expect(try none.route(for: "http://127.0.0.1:8989/") == .relay(URL(string: "http://127.0.0.1:8989/")!))
        #expect(try none.route(for: "http://[::1]:8989/") == .relay(URL(string: "http://[::1]:8989/")!))
    }

    @Test func remoteHubsAreRefusedWhenTheAdminAllowedNoNetwork() {
        #expect(throws: HubRouteError.notAllowed(host: "10.1.2.3", allowed: [])) {
            try HubNetworkPolicy(allowed: []).route(for: "http://10.1.2.3:8989/")
        }
        let message = HubRouteError.notAllowed(host: "10.1.2.3", allowed: []).description
        #expect(message.contains("--allow-hub-network"))
    }

    @Test func aHubInsideAnAllowedNetworkIsCalledDirectlyAtTheCheckedAddress() throws {
        #expect(try office.route(for: "http://10.1.2.3:8989/") == .direct(connectURL: URL(string: "http://10.1.2.3:8989/")!, hostHeader: "10.1.2.3:8989"))
        #expect(try office.route(for: "http://pc-17.office:8989/") == .direct(connectURL: URL(string: "http://10.1.2.17:8989/")!, hostHeader: "pc-17.office:8989"))
        #expect(try office.route(for: "http://[fd00::17]:8989/") == .direct(connectURL: URL(string: "http://[fd00::17]:8989/")!, hostHeader: "[fd00::17]:8989"))
    }

    @Test(arguments: ["http://192.168.1.1:8989/", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]:8989/", "http://rebind.example:8989/"])
    func addressesOutsideTheAllowedNetworksAreRefused(url: String) {
        #expect(throws: HubRouteError.self) { try office.route(for: url) }
    }

    @Test func unresolvableAndInvalidURLsSayWhy() {
        #expect(throws: HubRouteError.unresolvable("nowhere.invalid")) { try office.route(for: "http://nowhere.invalid:8989/") }
        #expect(throws: HubRouteError.self) { try office.route(for: "gopher://10.1.2.3/") }
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
