import Foundation
import Hummingbird
import NIOCore

/// The apps' pages (the `Web` resources of this module), served at `<path>/<file>`.
///
/// Only plain file names of that folder are served; anything with a path in it is not found.
/// An app's page also answers without its `.htm`, since App object URLs are written that way
/// (`<path>/innovaphone-connectorforkuando`). The myApps stand-in (`myapps-standin.*`) is
/// served only in demo mode, where a PBX simulator brokers its logins. Pages are read once, at start.
struct WebPages: Sendable {
    private let files: [String: (type: String, body: ByteBuffer)]
    /// The stand-in's files start with this.
    static let standinPrefix = "myapps-standin."

    init(demoMode: Bool = false) {
        var files: [String: (String, ByteBuffer)] = [:]
        if let folder = Bundle.module.url(forResource: "Web", withExtension: nil),
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names where demoMode || !name.hasPrefix(Self.standinPrefix) {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
                files[name] = (Self.contentType(of: name), ByteBuffer(bytes: data))
            }
        }
        self.files = files
    }

    var names: [String] { files.keys.sorted() }

    func response(for name: String) -> Response? {
        guard let file = files[name] ?? files[name + ".htm"] else { return nil }
        return Response(
            status: .ok,
            headers: [.contentType: file.type, .cacheControl: "no-cache"],
            body: .init(byteBuffer: file.body))
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? "" {
        case "htm", "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "png": "image/png"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }
}
