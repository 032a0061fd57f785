// swift-tools-version: 6.2
import PackageDescription

// Engine and service-codec benchmarks (ordo-one/package-benchmark), kept out of the root package so the main
// build never pulls the benchmark tooling. Run: `swift package benchmark --target RiskEngineBenchmarks`.
let package = Package(
    name: "BulkheadBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Bulkhead", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RiskEngineBenchmarks",
            dependencies: [
                .product(name: "RiskEngine", package: "Bulkhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RiskEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "StressBenchmarks",
            dependencies: [
                .product(name: "RiskEngine", package: "Bulkhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StressBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ServiceJSONBenchmarks",
            dependencies: [
                .product(name: "BulkheadService", package: "Bulkhead"),
                .product(name: "RiskEngine", package: "Bulkhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ServiceJSONBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
