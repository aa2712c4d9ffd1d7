// swift-tools-version: 6.2
import PackageDescription

/// Every target of ours treats warnings as errors (STYLE.md: warnings are defects).
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "kuando-connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kuando", targets: ["kuando"]),
        .executable(name: "kuando-bench", targets: ["kuando-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The synchronisation core: states, the seed's mapping table, the three rules. No I/O.
        .target(
            name: "KuandoSync",
            resources: [.process("Resources")],
            swiftSettings: strict
        ),
        // Waiting with a deadline, and retrying with backoff: one of each for every module. No deps.
        .target(name: "Timing", swiftSettings: strict),
        // USB HID driver for kuando Busylights: encoder, Linux hidraw, simulated lamp.
        .target(name: "Busylight", dependencies: ["Timing"], swiftSettings: strict),
        // kuandoHUB HTTP protocol: shared types, HubClient, the open hub.
        .target(
            name: "KuandoHub",
            dependencies: [
                "KuandoSync", "Busylight", "Timing", .asyncHTTPClient, .hummingbird, .logging, .nioCore,
                .serviceLifecycle, .httpTypes,
            ],
            swiftSettings: strict
        ),
        // innovaphone AppWebsocket: codec, login digest, RCC/PbxApi/TableUsers messages, connection.
        .target(
            name: "AppWebsocket",
            dependencies: [.crypto, .wsCore, .wsClient, .nioWebSocket, .logging],
            swiftSettings: strict
        ),
        // A scriptable PBX speaking AppWebsocket, for tests and the demo.
        .target(
            name: "PBXSimulator",
            dependencies: ["AppWebsocket", .logging],
            swiftSettings: strict
        ),
        // The whole chain on loopback (service, PBX simulator, open hubs with simulated lamps) and
        // the seed's story on it: kuando demo, the tests and kuando-bench stand on it.
        .target(
            name: "KuandoStage",
            dependencies: [
                "ConnectorService", "PBXSimulator", "KuandoHub", "KuandoSync", "Busylight", "AppWebsocket", "Timing",
                .logging, .serviceLifecycle,
            ],
            swiftSettings: strict
        ),
        // The App Service itself.
        .target(
            name: "ConnectorService",
            dependencies: [
                "KuandoSync", "KuandoHub", "Busylight", "AppWebsocket", "Timing", .hummingbird, .hummingbirdCore,
                .hummingbirdWebSocket, .wsCore, .serviceLifecycle, .unixSignals, .grdb, .postgresNIO, .logging,
                .coreMetrics, .prometheus, .hummingbirdTLS, .nioSSL, .httpTypes,
            ],
            // The myApps pages, the PBX Manager plugin and the myApps stand-in, served as they are.
            resources: [.copy("Web")],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "kuando",
            dependencies: [
                "KuandoSync", "Busylight", "KuandoHub", "AppWebsocket", "PBXSimulator", "ConnectorService",
                "KuandoStage", "Timing", .argumentParser, .logging, .metrics, .prometheus, .nioSSL,
            ],
            swiftSettings: strict
        ),
        // Latency, throughput, memory and start-up of the service on loopback (issue 9; BENCHMARKS.md).
        .executableTarget(
            name: "kuando-bench",
            dependencies: [
                "ConnectorService", "KuandoStage", "PBXSimulator", "KuandoHub", "KuandoSync", "Busylight",
                "AppWebsocket", .argumentParser, .asyncHTTPClient, .hummingbird, .hummingbirdWebSocket, .wsClient,
                .serviceLifecycle, .logging, .nioCore,
            ],
            path: "Benchmarks/kuando-bench",
            swiftSettings: strict
        ),
        // Helpers shared by the test targets: an append-only log that tests wait on, `eventually`,
        // a hand-moved clock, a raw websocket client, the built `kuando` run as a child process.
        .target(
            name: "TestSupport", dependencies: ["AppWebsocket", .logging, .wsClient, .nioWebSocket, .httpTypes],
            path: "Tests/TestSupport", swiftSettings: strict),
        // Test helper, not a product: saves configs in a loop and prints each acknowledged write;
        // the store tests SIGKILL it.
        .executableTarget(
            name: "kuando-store-writer", dependencies: ["ConnectorService", "KuandoSync"], path: "Tests/StoreWriter", swiftSettings: strict),
        .testTarget(name: "KuandoSyncTests", dependencies: ["KuandoSync", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "TimingTests", dependencies: ["Timing", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "BusylightTests", dependencies: ["Busylight", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KuandoHubTests",
            dependencies: [
                "KuandoHub", "KuandoSync", "Busylight", "TestSupport", "Timing", .hummingbird, .serviceLifecycle,
                .logging, .nioCore, .asyncHTTPClient,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AppWebsocketTests",
            dependencies: [
                "AppWebsocket", "PBXSimulator", "TestSupport", .wsClient, .hummingbird, .hummingbirdTesting,
                .hummingbirdWebSocket, .nioWebSocket, .logging,
            ],
            swiftSettings: strict
        ),
        // Runs the built `kuando` binary as a user would.
        .testTarget(name: "CLITests", dependencies: ["kuando", "kuando-bench", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConnectorServiceTests",
            dependencies: [
                "ConnectorService", "KuandoStage", "TestSupport", "KuandoSync", "kuando-store-writer", "kuando",
                "PBXSimulator", "KuandoHub", "Busylight", "AppWebsocket", "Timing", .serviceLifecycle, .wsClient,
                .nioWebSocket, .nioPosix, .grdb, .postgresNIO, .hummingbird, .logging, .asyncHTTPClient, .nioSSL,
                .httpTypes,
            ],
            swiftSettings: strict
        ),
        // The web pages in headless Chromium over WebDriver, against a fake service or `kuando serve`.
        .testTarget(
            name: "BrowserTests",
            dependencies: [
                "AppWebsocket", "PBXSimulator", "KuandoSync", "ConnectorService", "KuandoStage", "KuandoHub",
                "Busylight", "TestSupport", .serviceLifecycle, .hummingbird, .hummingbirdTesting,
                .hummingbirdWebSocket, .httpTypes, .asyncHTTPClient, .logging,
            ],
            exclude: ["NodeTests"],
            swiftSettings: strict
        ),
    ]
)

/// The packages' products our targets use, named once.
extension Target.Dependency {
    static let asyncHTTPClient: Self = .product(name: "AsyncHTTPClient", package: "async-http-client")
    static let hummingbird: Self = .product(name: "Hummingbird", package: "hummingbird")
    static let logging: Self = .product(name: "Logging", package: "swift-log")
    static let nioCore: Self = .product(name: "NIOCore", package: "swift-nio")
    static let serviceLifecycle: Self = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
    static let httpTypes: Self = .product(name: "HTTPTypes", package: "swift-http-types")
    static let crypto: Self = .product(name: "Crypto", package: "swift-crypto")
    static let wsCore: Self = .product(name: "WSCore", package: "swift-websocket")
    static let wsClient: Self = .product(name: "WSClient", package: "swift-websocket")
    static let nioWebSocket: Self = .product(name: "NIOWebSocket", package: "swift-nio")
    static let hummingbirdCore: Self = .product(name: "HummingbirdCore", package: "hummingbird")
    static let hummingbirdWebSocket: Self = .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")
    static let unixSignals: Self = .product(name: "UnixSignals", package: "swift-service-lifecycle")
    static let grdb: Self = .product(name: "GRDB", package: "GRDB.swift")
    static let postgresNIO: Self = .product(name: "PostgresNIO", package: "postgres-nio")
    static let coreMetrics: Self = .product(name: "CoreMetrics", package: "swift-metrics")
    static let prometheus: Self = .product(name: "Prometheus", package: "swift-prometheus")
    static let hummingbirdTLS: Self = .product(name: "HummingbirdTLS", package: "hummingbird")
    static let nioSSL: Self = .product(name: "NIOSSL", package: "swift-nio-ssl")
    static let argumentParser: Self = .product(name: "ArgumentParser", package: "swift-argument-parser")
    static let metrics: Self = .product(name: "Metrics", package: "swift-metrics")
    static let hummingbirdTesting: Self = .product(name: "HummingbirdTesting", package: "hummingbird")
    static let nioPosix: Self = .product(name: "NIOPosix", package: "swift-nio")
}
