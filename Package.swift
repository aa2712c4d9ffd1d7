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
                "KuandoSync", "Busylight", "Timing",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        // innovaphone AppWebsocket: codec, login digest, RCC/PbxApi/TableUsers messages, connection.
        .target(
            name: "AppWebsocket",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // A scriptable PBX speaking AppWebsocket, for tests and the demo.
        .target(
            name: "PBXSimulator",
            dependencies: ["AppWebsocket", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The whole chain on loopback (service, PBX simulator, open hubs with simulated lamps) and
        // the seed's story on it: kuando demo, the tests and kuando-bench stand on it.
        .target(
            name: "KuandoStage",
            dependencies: [
                "ConnectorService", "PBXSimulator", "KuandoHub", "KuandoSync", "Busylight", "AppWebsocket", "Timing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The App Service itself.
        .target(
            name: "ConnectorService",
            dependencies: [
                "KuandoSync", "KuandoHub", "Busylight", "AppWebsocket", "Timing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // The myApps pages, the PBX Manager plugin and the myApps stand-in, served as they are.
            resources: [.copy("Web")],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "kuando",
            dependencies: [
                "KuandoSync", "Busylight", "KuandoHub", "AppWebsocket", "PBXSimulator", "ConnectorService", "KuandoStage", "Timing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // Latency, throughput, memory and start-up of the service on loopback (issue 9; BENCHMARKS.md).
        .executableTarget(
            name: "kuando-bench",
            dependencies: [
                "ConnectorService", "KuandoStage", "PBXSimulator", "KuandoHub", "KuandoSync", "Busylight", "AppWebsocket",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/kuando-bench",
            swiftSettings: strict
        ),
        // Helpers shared by the test targets: an append-only log that tests wait on, a hand-moved clock.
        .target(
            name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport", swiftSettings: strict),
        // Test helper, not a product: saves configs in a loop and prints each acknowledged write;
        // the store tests SIGKILL it.
        .executableTarget(
            name: "kuando-store-writer", dependencies: ["ConnectorService", "KuandoSync"], path: "Tests/StoreWriter", swiftSettings: strict),
        .testTarget(name: "KuandoSyncTests", dependencies: ["KuandoSync"], swiftSettings: strict),
        .testTarget(name: "TimingTests", dependencies: ["Timing", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "BusylightTests", dependencies: ["Busylight", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KuandoHubTests",
            dependencies: [
                "KuandoHub", "KuandoSync", "Busylight", "TestSupport", "Timing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AppWebsocketTests",
            dependencies: [
                "AppWebsocket", "PBXSimulator", "TestSupport",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Runs the built `kuando` binary as a user would.
        .testTarget(name: "CLITests", dependencies: ["kuando", "kuando-bench"], swiftSettings: strict),
        .testTarget(
            name: "ConnectorServiceTests",
            dependencies: [
                "ConnectorService", "KuandoStage", "TestSupport", "KuandoSync", "kuando-store-writer", "PBXSimulator", "KuandoHub", "Busylight", "AppWebsocket", "Timing",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        // The web pages in headless Chromium over WebDriver, against a fake service or `kuando serve`.
        .testTarget(
            name: "BrowserTests",
            dependencies: [
                "AppWebsocket", "PBXSimulator", "KuandoSync", "ConnectorService", "KuandoStage", "KuandoHub", "Busylight", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["NodeTests"],
            swiftSettings: strict
        ),
    ]
)
