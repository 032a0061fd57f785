// swift-tools-version: 6.2
import PackageDescription

// Targets follow DESIGN.md: a pure engine, a pure HTTP wire codec, the socket server,
// the SQLite journal, the application service and the executable. C system libraries
// are reached through thin module maps.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Bulkhead",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bulkhead", targets: ["bulkhead"]),
        .library(name: "RiskEngine", targets: ["RiskEngine"]),
        .library(name: "HTTPWire", targets: ["HTTPWire"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "BulkheadService", targets: ["BulkheadService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C shims
        .target(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres"),

        // Libraries
        .target(name: "RiskEngine", swiftSettings: strict),
        .target(name: "HTTPWire", swiftSettings: strict),
        .target(
            name: "HTTPServer",
            dependencies: ["HTTPWire", "CLinux", "COpenSSL", "CZlib"],
            swiftSettings: strict
        ),
        .target(
            name: "Journal",
            dependencies: ["RiskEngine", "CSQLite", "CPostgres"],
            swiftSettings: strict
        ),
        .target(
            name: "BulkheadService",
            dependencies: [
                "RiskEngine", "HTTPWire", "HTTPServer", "Journal", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            // The operator console's files, compiled into the binary (ConsoleAssets).
            resources: [.embedInCode("Console/Assets")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "bulkhead",
            dependencies: [
                "BulkheadService", "RiskEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Tests
        .testTarget(
            name: "RiskEngineTests",
            dependencies: ["RiskEngine", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "HTTPWireTests", dependencies: ["HTTPWire"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPWire"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "RiskEngine", "BulkheadService", "HTTPWire"]),
        .testTarget(
            name: "BulkheadServiceTests",
            dependencies: ["BulkheadService", "RiskEngine", "HTTPServer", "CLinux"]
        ),
    ]
)
