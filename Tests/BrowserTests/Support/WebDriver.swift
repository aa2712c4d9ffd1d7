import AsyncHTTPClient
import Foundation
import NIOCore

/// A minimal W3C WebDriver client: JSON over HTTP to chromedriver, one browser session.
///
/// Covers what the page tests need: navigate, find, click, type, run a script, switch into an
/// iframe, resize, screenshot, read the browser console. Errors the driver reports are thrown
/// as ``WebDriverError`` with the driver's own words.
struct WebDriver: Sendable {
    /// A found element, as the driver names it.
    struct Element: Sendable, Hashable {
        static let key = "element-6066-11e4-a52e-4f735466cecf"
        let id: String
        var reference: [String: String] { [Element.key: id] }
    }

    /// One browser console entry (`goog:loggingPrefs`).
    struct LogEntry: Sendable, Decodable {
        var level: String
        var message: String
    }

    let endpoint: URL
    let sessionID: String

    /// Opens a headless Chromium session on the chromedriver at `endpoint`.
    /// `arguments` go to Chromium besides the usual headless ones (e.g. `--host-resolver-rules`).
    static func newSession(endpoint: URL, chromium: String, width: Int, height: Int, arguments: [String] = []) async throws -> WebDriver {
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": chromium,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=\(width),\(height)", "--no-first-run", "--no-default-browser-check",
                        ] + arguments,
                    ],
                    "goog:loggingPrefs": ["browser": "ALL"],
                ] as [String: Any],
            ],
        ]
        let answer = try await call("POST", endpoint.appending(path: "session"), body: capabilities, as: NewSession.self)
        return WebDriver(endpoint: endpoint, sessionID: answer.sessionId)
    }

    private struct NewSession: Decodable { var sessionId: String }
    private struct ElementReference: Decodable {
        var id: String
        enum CodingKeys: String, CodingKey { case id = "element-6066-11e4-a52e-4f735466cecf" }
    }
    struct Rect: Decodable, Sendable, Equatable { var x: Int; var y: Int; var width: Int; var height: Int }

    // MARK: commands

    func navigate(to url: URL) async throws {
        try await command("POST", "url", ["url": url.absoluteString])
    }

    func find(_ css: String) async throws -> Element {
        let reference = try await command("POST", "element", ["using": "css selector", "value": css], as: ElementReference.self)
        return Element(id: reference.id)
    }

    func findAll(_ css: String) async throws -> [Element] {
        try await command("POST", "elements", ["using": "css selector", "value": css], as: [ElementReference].self).map { Element(id: $0.id) }
    }

    func click(_ element: Element) async throws {
        try await command("POST", "element/\(element.id)/click", [:])
    }

    func clear(_ element: Element) async throws {
        try await command("POST", "element/\(element.id)/clear", [:])
    }

    /// Types `text` into the element, as keys.
    func type(_ text: String, into element: Element) async throws {
        try await command("POST", "element/\(element.id)/value", ["text": text])
    }

    func text(of element: Element) async throws -> String {
        try await command("GET", "element/\(element.id)/text", as: String.self)
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and decodes what it returns.
    func execute<Value: Decodable>(_ script: String, _ args: [Any] = [], as type: Value.Type = Value.self) async throws -> Value {
        try await command("POST", "execute/sync", ["script": script, "args": args], as: Value.self)
    }

    /// Runs `script` for its effect.
    func run(_ script: String, _ args: [Any] = []) async throws {
        try await command("POST", "execute/sync", ["script": script, "args": args])
    }

    /// Enters the iframe `element`; ``leaveFrame()`` returns to the top document.
    func enterFrame(_ element: Element) async throws {
        try await command("POST", "frame", ["id": element.reference])
    }

    func leaveFrame() async throws {
        try await command("POST", "frame", ["id": NSNull()])
    }

    @discardableResult
    func setWindowRect(width: Int, height: Int) async throws -> Rect {
        try await command("POST", "window/rect", ["width": width, "height": height], as: Rect.self)
    }

    /// The visible part of the page as PNG.
    func screenshot() async throws -> Data {
        let base64 = try await command("GET", "screenshot", as: String.self)
        guard let png = Data(base64Encoded: base64) else { throw WebDriverError(error: "bad screenshot", message: "not base64") }
        return png
    }

    /// Console entries since the last call (chromedriver's log endpoint).
    func browserLog() async throws -> [LogEntry] {
        try await command("POST", "se/log", ["type": "browser"], as: [LogEntry].self)
    }

    func delete() async throws {
        _ = try await Self.call("DELETE", endpoint.appending(path: "session/\(sessionID)"), body: nil, as: Ignored.self)
    }

    // MARK: transport

    private struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws {
        _ = try await command(method, path, body, as: Ignored.self)
    }

    private func command<Value: Decodable>(_ method: String, _ path: String, _ body: [String: Any]? = nil, as type: Value.Type) async throws -> Value {
        try await Self.call(method, endpoint.appending(path: "session/\(sessionID)/\(path)"), body: body, as: type)
    }

    private struct Envelope<Value: Decodable>: Decodable { var value: Value }
    private struct Failure: Decodable { var value: WebDriverError }

    private static func call<Value: Decodable>(
        _ method: String, _ url: URL, body: [String: Any]?, as type: Value.Type
    ) async throws -> Value {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .RAW(value: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            if let failure = try? JSONDecoder().decode(Failure.self, from: data) { throw failure.value }
            throw WebDriverError(error: "HTTP \(response.status.code)", message: String(decoding: data, as: UTF8.self))
        }
        return try JSONDecoder().decode(Envelope<Value>.self, from: data).value
    }
}

/// What the driver said went wrong (`no such element`, `javascript error`, …).
struct WebDriverError: Error, Decodable, CustomStringConvertible {
    var error: String
    var message: String
    var description: String { "WebDriver: \(error): \(message)" }
}
