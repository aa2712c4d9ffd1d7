import Hummingbird
import Testing

@testable import ConnectorService

@Suite struct WebPagesTests {
    let pages = WebPages()

    @Test func bothAppsAnswerWithAndWithoutTheirExtension() throws {
        for app in [AppNames.hidden, AppNames.config] {
            let withExtension = try #require(pages.response(for: app + ".htm"))
            let asAppObjectURL = try #require(pages.response(for: app))
            #expect(withExtension.headers[.contentType] == "text/html; charset=utf-8")
            #expect(asAppObjectURL.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test func scriptsKeepTheirTypeAndUnknownNamesAreNotFound() {
        #expect(pages.response(for: AppNames.config + ".js")?.headers[.contentType] == "text/javascript; charset=utf-8")
        #expect(pages.response(for: "innovaphone-connectorforkuando-unknown") == nil)
        #expect(pages.response(for: "../Package.swift") == nil)
        #expect(pages.response(for: "") == nil)
    }

    @Test func theStandInIsServedOnlyInDemoMode() {
        #expect(pages.response(for: "myapps-standin.htm") == nil)
        #expect(pages.response(for: "myapps-standin.js") == nil)
        let demo = WebPages(demoMode: true)
        #expect(demo.response(for: "myapps-standin.htm") != nil)
        #expect(demo.response(for: "myapps-standin.js") != nil)
        #expect(demo.response(for: AppNames.config) != nil)
    }
}
