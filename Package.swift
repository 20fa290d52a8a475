// swift-tools-version:6.1
import PackageDescription

// One settings array for every target, as Hummingbird does.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-backend", targets: ["SluiceSampleBackend"]),
        .library(name: "SluiceModel", targets: ["SluiceModel"]),
        .library(name: "SluiceSynapse", targets: ["SluiceSynapse"]),
        // The data-plane modules, for the microbenchmarks in Benchmarks/ (a separate package).
        .library(name: "SluiceMediation", targets: ["SluiceMediation"]),
        .library(name: "SluiceGateway", targets: ["SluiceGateway"]),
        .library(name: "SluiceSecurity", targets: ["SluiceSecurity"]),
        .library(name: "SluiceThrottling", targets: ["SluiceThrottling"]),
        .library(name: "SluiceKeyManager", targets: ["SluiceKeyManager"]),
        .library(name: "SluiceStorage", targets: ["SluiceStorage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Metrics are counted through swift-metrics; swift-prometheus is its backend (SluiceAnalytics' only user).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // API project archives (`/apis/export`, `/apis/import`).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // OpenAPI import; its ExternalLoading trait (remote references) stays off: nothing is fetched.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Tracing: the gateway and the management app speak swift-distributed-tracing; swift-otel exports OTLP over
        // HTTP only (its OTLPGRPC trait stays off, so gRPC and HTTP/2 are not built).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // MARK: - Foundation
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "SluiceModel",
            swiftSettings: swiftSettings
        ),
        // The one hardened libxml2 parsing layer (artifacts and payloads) and XML writing/escaping.
        .target(
            name: "SluiceXML",
            dependencies: ["CLibXML2"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceSynapse",
            dependencies: ["SluiceModel", "SluiceXML", "SluiceMediation"],
            swiftSettings: swiftSettings
        ),

        // Key stores, the generated self-signed certificate and the TLS settings of both servers.
        .target(
            name: "SluiceTLS",
            dependencies: [
                "SluiceModel",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // JWT access tokens: signing, the JWK set, verification (key manager and gateways alike).
        .target(
            name: "SluiceJWT",
            dependencies: [
                "SluiceModel",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Data plane
        // What the gateway and the management server share at the connection level: Host checks, connection caps.
        .target(
            name: "SluiceServerGuards",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Debian's duktape 2.7 (duktape-dev) compiled with its execution-timeout hook, and the narrow C layer over it.
        .target(
            name: "CDuktape",
            linkerSettings: [.linkedLibrary("m")]
        ),
        // JavaScript for the script mediator: scripts compiled once, run in per-thread heaps with time and memory caps.
        .target(
            name: "SluiceScript",
            dependencies: ["CDuktape"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceMediation",
            dependencies: [
                "SluiceModel",
                "SluiceXML",
                "SluiceScript",
                "CLibXML2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceGateway",
            dependencies: [
                "SluiceModel",
                "SluiceServerGuards",
                "SluiceSynapse",
                "SluiceMediation",
                "SluiceScript",
                "SluiceTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "SluiceThrottling",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "SluiceModel",
                "SluiceMediation",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceSecurity",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "SluiceModel",
                "SluiceMediation",
                "SluiceJWT",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceAnalytics",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "SluiceModel",
                "SluiceMediation",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceGatewayHandlers",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "SluiceModel",
                "SluiceSynapse",
                "SluiceMediation",
                "SluiceSecurity",
                "SluiceThrottling",
                "SluiceAnalytics",
                "SluiceJWT",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Control plane
        .target(
            name: "SluiceStorage",
            dependencies: [
                "SluiceModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The cluster storage: every repository on PostgreSQL, plus the change log, artifacts and shared counters.
        .target(
            name: "SluiceStoragePostgres",
            dependencies: [
                "SluiceModel",
                "SluiceStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceKeyManager",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "SluiceModel",
                "SluiceStorage",
                "SluiceJWT",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The business rules of the publisher, devportal and admin: the one path to storage for the REST API and
        // the portals.
        .target(
            name: "SluiceControlPlane",
            dependencies: [
                "SluiceModel",
                "SluiceStorage",
                "SluiceKeyManager",
                "SluiceArtifacts",
                "SluiceTLS",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceManagement",
            dependencies: [
                "SluiceModel",
                "SluiceServerGuards",
                "SluiceStorage",
                "SluiceKeyManager",
                "SluiceJWT",
                "SluiceXML",
                "SluiceArtifacts",
                "SluiceControlPlane",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "SluiceArtifacts",
            dependencies: ["SluiceModel", "SluiceSynapse", "SluiceMediation"],
            swiftSettings: swiftSettings
        ),
        // The Store, Publisher and Admin web portals, server-rendered over the control-plane services.
        .target(
            name: "SluicePortal",
            dependencies: [
                "SluiceModel",
                "SluiceStorage",
                "SluiceKeyManager",
                "SluiceArtifacts",
                "SluiceControlPlane",
                "SluiceXML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // The Store's try-it console sends the call to the gateway.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),

        // Keeps a node's copies of shared state (validation index, lifecycle states, tiers, artifacts, throttle
        // counters) in step with the cluster's database.
        .target(
            name: "SluiceCluster",
            dependencies: [
                "SluiceModel",
                "SluiceStorage",
                "SluiceKeyManager",
                "SluiceSecurity",
                "SluiceThrottling",
                "SluiceArtifacts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Node assembly
        // Builds a node (storage, key manager, handlers, gateway, management app) for the CLI and for tests.
        .target(
            name: "SluiceNode",
            dependencies: [
                "SluiceAnalytics",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "SluiceServerGuards",
                "SluiceModel",
                "SluiceSynapse",
                "SluiceMediation",
                "SluiceGateway",
                "SluiceStorage",
                "SluiceKeyManager",
                "SluiceControlPlane",
                "SluiceManagement",
                "SluiceArtifacts",
                "SluiceSecurity",
                "SluiceGatewayHandlers",
                "SluicePortal",
                "SluiceTLS",
                "SluiceJWT",
                "SluiceStoragePostgres",
                "SluiceCluster",
                "SluiceThrottling",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executable
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceNode",
                "SluiceModel",
                "SluiceSynapse",
                "SluiceMediation",
                "SluiceGateway",
                "SluiceStorage",
                "SluiceKeyManager",
                "SluiceControlPlane",
                "SluiceManagement",
                "SluiceArtifacts",
                "SluiceSecurity",
                "SluiceGatewayHandlers",
                "SluicePortal",
                "SluiceServerGuards",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Test support
        .target(
            name: "SluiceTesting",
            dependencies: [
                "SluiceModel",
                "SluiceKeyManager",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SluiceSampleBackend",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // libFuzzer harnesses (scripts/fuzz builds them with -sanitize=fuzzer,address); the ordinary build only
        // compiles their replay mode, which runs saved inputs through the same targets.
        .executableTarget(
            name: "SluiceFuzz",
            dependencies: [
                "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceGateway", "SluiceManagement", "SluicePortal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Fuzz/SluiceFuzz",
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .testTarget(
            name: "SluiceModelTests",
            dependencies: ["SluiceModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceXMLTests",
            dependencies: ["SluiceXML", "CLibXML2"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceSynapseTests",
            dependencies: ["SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceTesting"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceMediationTests",
            dependencies: [
                "SluiceModel", "SluiceMediation", "SluiceSynapse", "SluiceScript", "SluiceTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceGatewayTests",
            dependencies: [
                "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceGateway", "SluiceTesting", "SluiceScript",
                "SluiceStorage", "SluiceKeyManager", "SluiceSecurity", "SluiceThrottling", "SluiceAnalytics",
                "SluiceGatewayHandlers", "SluiceTLS", "SluiceJWT",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceServerGuardsTests",
            dependencies: [
                "SluiceServerGuards",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceClusterTests",
            dependencies: [
                "SluiceCluster", "SluiceModel", "SluiceStorage", "SluiceThrottling", "SluiceKeyManager",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceThrottlingTests",
            dependencies: [
                "SluiceModel", "SluiceThrottling", "SluiceMediation",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceSecurityTests",
            dependencies: [
                "SluiceModel", "SluiceMediation", "SluiceSecurity", "SluiceStorage", "SluiceKeyManager",
                "SluiceManagement", "SluiceJWT", "SluiceTLS",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceGatewayHandlersTests",
            dependencies: [
                "SluiceModel", "SluiceMediation", "SluiceSecurity", "SluiceThrottling", "SluiceAnalytics",
                "SluiceGatewayHandlers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceAnalyticsTests",
            dependencies: [
                "SluiceModel", "SluiceMediation", "SluiceStorage", "SluiceAnalytics",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceTLSTests",
            dependencies: [
                "SluiceModel", "SluiceTLS", "SluiceTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceStorageTests",
            dependencies: [
                "SluiceModel", "SluiceStorage", "SluiceStoragePostgres", "SluiceTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceKeyManagerTests",
            dependencies: [
                "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceManagement", "SluiceTLS", "SluiceTesting",
                "SluiceJWT",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceArtifactsTests",
            dependencies: ["SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceArtifacts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceManagementTests",
            dependencies: [
                "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceArtifacts", "SluiceControlPlane",
                "SluiceManagement", "SluiceTesting", "SluiceTLS",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluicePortalTests",
            dependencies: [
                "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceArtifacts", "SluiceControlPlane",
                "SluiceManagement", "SluicePortal", "SluiceTesting", "SluiceJWT", "SluiceTLS",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceNodeTests",
            dependencies: [
                "SluiceModel", "SluiceNode", "SluiceGatewayHandlers", "SluiceTesting", "SluiceTLS", "SluiceKeyManager",
                "SluiceStorage", "SluiceAnalytics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: [
                "sluice", "SluiceTesting", "SluiceGateway", "SluiceGatewayHandlers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
