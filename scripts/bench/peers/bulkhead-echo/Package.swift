// swift-tools-version: 6.2
import PackageDescription

// Benchmark responder for scripts/bench/http.sh: Bulkhead's own HTTPServer (from the root
// package, by path) serving the same two routes as the Hummingbird and nginx peers, so the
// comparison measures the HTTP layer rather than the application.
let package = Package(
    name: "BulkheadEcho",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Bulkhead", path: "../../../.."),
    ],
    targets: [
        .executableTarget(
            name: "BulkheadEcho",
            dependencies: [
                .product(name: "HTTPServer", package: "Bulkhead"),
                .product(name: "HTTPWire", package: "Bulkhead"),
            ]
        ),
    ]
)
