import Testing

/// The web pages in headless Chromium. One browser at a time: the suites below run serially
/// (the machine has two cores, and each test starts its own chromedriver and browser).
@Suite(.serialized, .enabled(if: Browser.enabled, "needs chromium and chromium-driver"))
struct PageTests {}
