import Foundation
import Synchronization
import TestSupport

/// Page-level steps the tests share: open the stand-in, enter an app's iframe, wait for text.
extension WebDriver {
    /// How often a wait asks the browser again: each probe is a WebDriver round trip through
    /// chromedriver into the page, so less often than an in-process check.
    static let probeInterval = Duration.milliseconds(50)

    /// Opens the myApps stand-in for `user`, enters the config app's iframe and waits until the
    /// app has logged in and loaded the settings.
    func openConfigApp(port: Int, path: String = "kuando", user: String = "alice", lang: String = "en", waitForSettings: Bool = true) async throws {
        try await navigate(to: URL(string: "http://127.0.0.1:\(port)/\(path)/myapps-standin.htm?user=\(user)&lang=\(lang)")!)
        try await enterFrame(try await pollFor("the config iframe", every: Self.probeInterval) { try await self.find("#config") })
        if waitForSettings {
            try await waitFor("the config app loaded the settings", #"return document.body.dataset.loaded === "true""#)
        }
    }

    /// Waits until `script` returns true.
    func waitFor(_ what: String, timeout: Duration = .seconds(10), _ script: String, _ args: [String] = []) async throws {
        try await eventually(what, timeout: timeout, every: Self.probeInterval) {
            try await self.execute(script, args, as: Bool?.self) == true
        }
    }

    /// Waits until the element's text contains `text`, and returns the whole text.
    @discardableResult
    func waitForText(_ css: String, contains text: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await pollFor("\(css) shows “\(text)”", timeout: timeout, every: Self.probeInterval) {
            let shown = try await self.execute("return document.querySelector(arguments[0])?.textContent ?? null", [css], as: String?.self)
            return shown.map { $0.contains(text) ? $0 : nil } ?? nil
        }
    }

    /// The `value` of an input or select.
    func value(_ css: String) async throws -> String {
        try await execute("return document.querySelector(arguments[0]).value", [css], as: String.self)
    }

    /// Sets an input's value as a user would and fires `input`/`change` (for colour pickers,
    /// which have no keyboard entry).
    func setValue(_ css: String, _ value: String) async throws {
        try await run("""
            const element = document.querySelector(arguments[0]);
            element.value = arguments[1];
            element.dispatchEvent(new Event("input", { bubbles: true }));
            element.dispatchEvent(new Event("change", { bubbles: true }));
            """, [css, value])
    }

    /// Replaces the text of an input by typing.
    func retype(_ css: String, _ text: String) async throws {
        let element = try await find(css)
        try await clear(element)
        try await type(text, into: element)
    }

    /// Scrolls the element to the middle of the window, as a person would before tapping it
    /// (the config app's save bar sticks to the bottom edge), then clicks it.
    func click(_ css: String) async throws {
        try await run(#"document.querySelector(arguments[0]).scrollIntoView({ block: "center" })"#, [css])
        try await click(try await find(css))
    }

    /// The browser's console entries, gathered until one contains `text`.
    func consoleLog(until text: String) async throws -> [LogEntry] {
        let seen = Mutex<[LogEntry]>([])
        try await eventually("a console line with \(text)", every: Self.probeInterval) {
            let batch = try await self.browserLog()
            let lines = seen.withLock { $0 += batch; return $0 }
            return lines.contains { $0.message.contains(text) }
        }
        return seen.withLock { $0 }
    }
}
