import AppWebsocket
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import ConnectorService

/// The websocket answers at the apps' directory and at each App object URL; the same URLs
/// still serve the pages to a browser.
@Suite struct AppURLTests {
    @Test(arguments: ["/kuando/\(AppNames.config)", "/kuando/\(AppNames.config).htm", "/kuando/\(AppNames.hidden)"])
    func appsLogInAtTheirAppObjectURL(path: String) async throws {
        try await ServiceRig.run { rig in
            try await rig.withApp("alice", path: path) { connection in
                let answer = try await connection.request(Frame(AppAPI.GetConfig()))
                #expect(answer.mt == "GetConfigResult")
            }
        }
    }

    @Test func anotherNameInTheDirectoryIsNoWebsocket() async throws {
        try await ServiceRig.run { rig in
            await #expect(throws: (any Error).self) {
                try await rig.withApp("alice", path: "/kuando/innovaphone-somethingelse") { _ in }
            }
        }
    }

    @Test func theAppObjectURLStillServesThePage() async throws {
        try await ServiceRig.run { rig in
            let url = try #require(URL(string: "http://127.0.0.1:\(rig.server.port)/kuando/\(AppNames.config)"))
            let (data, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("<html"))
        }
    }
}
