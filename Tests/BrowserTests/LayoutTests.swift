import Foundation
import Testing

extension PageTests {
    /// The config app at a phone's and a desktop's width; screenshots go to `.build/screenshots/`.
    @Suite struct Layout {
        static let screenshots = URL(filePath: #filePath).deletingLastPathComponent()
            .appending(path: "../../.build/screenshots").standardized

        @Test(arguments: [(360, 740), (1280, 800)])
        func theConfigAppFitsTheWindowWithoutSidewaysScrolling(width: Int, height: Int) async throws {
            let service = FakeService()
            try await service.run { port in
                try await Browser.withSession(width: width, height: height) { browser in
                    try await browser.setWindowRect(width: width, height: height)
                    try await browser.openConfigApp(port: port)
                    try await browser.waitForText("#connection", contains: "Connected")
                    let overflow = try await browser.execute("""
                        const root = document.documentElement;
                        const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1);
                        return wide.map((e) => e.tagName + "#" + e.id + "." + e.className).slice(0, 5);
                        """, as: [String].self)
                    #expect(overflow.isEmpty, "elements wider than the window: \(overflow)")
                    #expect(try await browser.execute("return document.documentElement.scrollWidth <= document.documentElement.clientWidth", as: Bool.self))
                    // Buttons stay big enough to tap.
                    let smallest = try await browser.execute(
                        "return Math.min(...[...document.querySelectorAll('button')].map((b) => b.getBoundingClientRect().height))", as: Double.self)
                    #expect(smallest >= 28)

                    let pageHeight = try await browser.execute("return document.documentElement.scrollHeight", as: Int.self)

                    // Show only the config app, as myApps would, then photograph it.
                    try await browser.leaveFrame()
                    try await browser.run("""
                        for (const hide of ["header", "#hidden", "#log"]) document.querySelector(hide).style.display = "none";
                        document.getElementById("config").style.cssText = "position:fixed; inset:0; width:100vw; height:100vh; min-height:0; border:0";
                        """)
                    try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
                    let file = Self.screenshots.appending(path: "config-\(width)x\(height).png")
                    try await browser.screenshot().write(to: file)
                    try await browser.setWindowRect(width: width, height: pageHeight + 100)
                    let whole = Self.screenshots.appending(path: "config-\(width)-whole.png")
                    try await browser.screenshot().write(to: whole)
                    #expect(FileManager.default.fileExists(atPath: file.path))
                }
            }
        }
    }
}
