// swift-tools-version: 6.2
import PackageDescription

// Comparison peer for scripts/bench/http.sh: the same two routes as bulkhead-echo, served by
// Hummingbird 2.28.1 on SwiftNIO. Not part of the product. Nested one folder down because a
// root package in a folder named "hummingbird" would clash with the dependency's identity.
let package = Package(
    name: "HummingbirdPeer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
