import Foundation
import Hummingbird
import NIOCore

/// `/admin/instances`: per instance known to this process, where it is served and, when here,
/// whether its PBX is linked and how many users it has.
struct InstanceReport: Codable, Sendable {
    struct Entry: Codable, Sendable {
        var domain: String
        var servedHere: Bool
        /// The process that serves it when another one does (nil: none right now, or this one).
        var owner: String?
        var pbxLinked: Bool?
        var users: Int?
    }

    var process: String
    var instances: [Entry]

    static func response(_ directory: InstanceDirectory, process: String) async -> Response {
        var entries: [Entry] = []
        for (domain, place) in directory.all {
            switch place {
            case .here(let instance):
                entries.append(Entry(
                    domain: instance.domain, servedHere: true, owner: process, pbxLinked: instance.registry.pbxLinked,
                    users: await instance.registry.userCount))
            case .elsewhere(let owner):
                entries.append(Entry(domain: domain, servedHere: false, owner: owner))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let body = (try? encoder.encode(InstanceReport(process: process, instances: entries))) ?? Data("{}".utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
