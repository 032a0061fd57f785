// swift-tools-version: 6.2
import PackageDescription

// Journal throughput and recovery benchmark, kept apart from the root package so that it
// never slows the main build. Run: scripts/bench/journal/run.sh
let package = Package(
    name: "JournalBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Bulkhead", path: "../../..")],
    targets: [
        .executableTarget(
            name: "JournalBench",
            dependencies: [.product(name: "Journal", package: "Bulkhead"), .product(name: "RiskEngine", package: "Bulkhead")]
        ),
    ]
)
