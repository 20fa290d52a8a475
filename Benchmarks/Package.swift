// swift-tools-version:6.1
import PackageDescription

// Microbenchmarks of Sluice's data-plane building blocks (ordo-one/benchmark). A package of its own so the root
// package, its tests and CI never build or depend on it. Run with `scripts/microbench` from the repository root.
let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "sluice", path: ".."),
        // Only the malloc interposer: the default traits add swift-runtime-interposer, which is not mirrored here.
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "SluiceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SluiceModel", package: "sluice"),
                .product(name: "SluiceSynapse", package: "sluice"),
                .product(name: "SluiceMediation", package: "sluice"),
                .product(name: "SluiceGateway", package: "sluice"),
                .product(name: "SluiceSecurity", package: "sluice"),
                .product(name: "SluiceThrottling", package: "sluice"),
                .product(name: "SluiceKeyManager", package: "sluice"),
                .product(name: "SluiceStorage", package: "sluice"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SluiceBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
