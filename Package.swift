// swift-tools-version:6.1
import PackageDescription

// One settings array for every target, as Hummingbird does.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

// The products this package uses, by the package that ships them. A target's dependencies are written as plain names
// through `uses`: a name in this table is that package's product, any other name is a target of this package.
let productPackages: [String: String] = [
    "AsyncHTTPClient": "async-http-client",
    "GRDB": "GRDB.swift",
    "Hummingbird": "hummingbird",
    "HummingbirdCore": "hummingbird",
    "HummingbirdTLS": "hummingbird",
    "HummingbirdTesting": "hummingbird",
    "JWTKit": "jwt-kit",
    "OpenAPIKit": "OpenAPIKit",
    "OpenAPIKit30": "OpenAPIKit",
    "OpenAPIKitCompat": "OpenAPIKit",
    "PostgresNIO": "postgres-nio",
    "ArgumentParser": "swift-argument-parser",
    "SwiftASN1": "swift-asn1",
    "X509": "swift-certificates",
    "Crypto": "swift-crypto",
    "_CryptoExtras": "swift-crypto",
    "InMemoryTracing": "swift-distributed-tracing",
    "Tracing": "swift-distributed-tracing",
    "HTTPTypes": "swift-http-types",
    "Logging": "swift-log",
    "CoreMetrics": "swift-metrics",
    "MetricsTestKit": "swift-metrics",
    "Mustache": "swift-mustache",
    "NIOConcurrencyHelpers": "swift-nio",
    "NIOCore": "swift-nio",
    "NIOEmbedded": "swift-nio",
    "NIOHTTP1": "swift-nio",
    "NIOPosix": "swift-nio",
    "NIOTLS": "swift-nio",
    "NIOSSL": "swift-nio-ssl",
    "OTel": "swift-otel",
    "Prometheus": "swift-prometheus",
    "ServiceLifecycle": "swift-service-lifecycle",
    "UnixSignals": "swift-service-lifecycle",
    "Yams": "Yams",
    "ZIPFoundation": "ZIPFoundation",
]

func uses(_ names: String...) -> [Target.Dependency] {
    names.map { name in
        if let package = productPackages[name] { return .product(name: name, package: package) }
        return .target(name: name)
    }
}

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
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "SluiceModel", swiftSettings: swiftSettings),
        // The one hardened libxml2 parsing layer (artifacts and payloads) and XML writing/escaping.
        .target(name: "SluiceXML", dependencies: uses("CLibXML2"), swiftSettings: swiftSettings),
        .target(name: "SluiceSynapse", dependencies: uses(
            "SluiceModel", "SluiceXML", "SluiceMediation"
        ), swiftSettings: swiftSettings),

        // Key stores, the generated self-signed certificate and the TLS settings of both servers.
        .target(name: "SluiceTLS", dependencies: uses(
            "SluiceModel", "NIOSSL", "X509", "SwiftASN1", "Crypto", "_CryptoExtras"
        ), swiftSettings: swiftSettings),

        // JWT access tokens: signing, the JWK set, verification (key manager and gateways alike).
        .target(name: "SluiceJWT", dependencies: uses(
            "SluiceModel", "JWTKit", "Crypto", "_CryptoExtras"
        ), swiftSettings: swiftSettings),

        // MARK: - Data plane
        // What the gateway and the management server share at the connection level: Host checks, connection caps.
        .target(name: "SluiceServerGuards", dependencies: uses(
            "NIOCore", "NIOHTTP1", "NIOConcurrencyHelpers", "Logging"
        ), swiftSettings: swiftSettings),
        // Debian's duktape 2.7 (duktape-dev) compiled with its execution-timeout hook, and the narrow C layer over it.
        .target(name: "CDuktape", linkerSettings: [.linkedLibrary("m")]),
        // JavaScript for the script mediator: scripts compiled once, run in per-thread heaps with time and memory caps.
        .target(name: "SluiceScript", dependencies: uses("CDuktape"), swiftSettings: swiftSettings),
        .target(name: "SluiceMediation", dependencies: uses(
            "SluiceModel", "SluiceXML", "SluiceScript", "CLibXML2", "NIOCore", "NIOHTTP1", "Logging", "Crypto"
        ), swiftSettings: swiftSettings),
        .target(name: "SluiceGateway", dependencies: uses(
            "SluiceModel", "SluiceServerGuards", "SluiceSynapse", "SluiceMediation", "SluiceScript", "SluiceTLS",
            "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "NIOTLS", "NIOConcurrencyHelpers", "Logging",
            "ServiceLifecycle", "Tracing", "CoreMetrics",
            // The deployer fetches the http(s) documents artifacts name (local entry sources, WSDLs).
            "AsyncHTTPClient"
        ), swiftSettings: swiftSettings),
        // The drivers dblookup/dbreport run their statements on, kept out of the data plane: the node hands the
        // gateway this module's `DatabaseConnector`.
        .target(name: "SluiceDatabaseMediators", dependencies: uses(
            "SluiceModel", "SluiceMediation", "PostgresNIO", "GRDB", "NIOCore", "NIOSSL", "NIOConcurrencyHelpers",
            "Logging"
        ), swiftSettings: swiftSettings),

        .target(name: "SluiceThrottling", dependencies: uses(
            "CoreMetrics", "SluiceModel", "SluiceMediation", "NIOCore", "NIOHTTP1", "NIOConcurrencyHelpers"
        ), swiftSettings: swiftSettings),
        .target(name: "SluiceSecurity", dependencies: uses(
            "CoreMetrics", "SluiceModel", "SluiceMediation", "SluiceJWT", "AsyncHTTPClient", "ServiceLifecycle",
            "NIOCore", "NIOHTTP1", "Crypto", "Logging"
        ), swiftSettings: swiftSettings),
        .target(name: "SluiceAnalytics", dependencies: uses(
            "CoreMetrics", "SluiceModel", "SluiceMediation", "NIOCore", "NIOHTTP1", "Logging", "ServiceLifecycle",
            "Prometheus"
        ), swiftSettings: swiftSettings),
        .target(name: "SluiceGatewayHandlers", dependencies: uses(
            "CoreMetrics", "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceSecurity", "SluiceThrottling",
            "SluiceAnalytics", "SluiceJWT", "NIOCore", "Logging", "ServiceLifecycle", "AsyncHTTPClient"
        ), swiftSettings: swiftSettings),

        // MARK: - Control plane
        .target(name: "SluiceStorage", dependencies: uses(
            "SluiceModel", "GRDB", "Logging"
        ), swiftSettings: swiftSettings),
        // The cluster storage: every repository on PostgreSQL, plus the change log, artifacts and shared counters.
        .target(name: "SluiceStoragePostgres", dependencies: uses(
            "SluiceModel", "SluiceStorage", "PostgresNIO", "NIOSSL", "Logging", "ServiceLifecycle"
        ), swiftSettings: swiftSettings),
        .target(name: "SluiceKeyManager", dependencies: uses(
            "CoreMetrics", "SluiceModel", "SluiceStorage", "SluiceJWT", "Crypto", "_CryptoExtras", "Logging",
            "NIOPosix", "ServiceLifecycle"
        ), swiftSettings: swiftSettings),
        // The business rules of the publisher, devportal and admin: the one path to storage for the REST API and
        // the portals.
        .target(name: "SluiceControlPlane", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceArtifacts", "SluiceTLS", "HTTPTypes",
            "Logging", "OpenAPIKit", "OpenAPIKit30", "OpenAPIKitCompat", "Yams", "ZIPFoundation", "AsyncHTTPClient",
            "NIOCore"
        ), swiftSettings: swiftSettings),
        .target(name: "SluiceManagement", dependencies: uses(
            "SluiceModel", "SluiceServerGuards", "SluiceStorage", "SluiceKeyManager", "SluiceJWT", "SluiceXML",
            "SluiceArtifacts", "SluiceControlPlane", "Hummingbird", "HummingbirdCore", "HummingbirdTLS", "NIOSSL",
            "Logging", "NIOCore", "Tracing"
        ), swiftSettings: swiftSettings),

        .target(name: "SluiceArtifacts", dependencies: uses(
            "SluiceModel", "SluiceSynapse", "SluiceMediation"
        ), swiftSettings: swiftSettings),
        // The Store, Publisher and Admin web portals, server-rendered over the control-plane services.
        .target(name: "SluicePortal", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceArtifacts", "SluiceControlPlane", "SluiceXML",
            "Hummingbird", "Mustache", "Crypto", "Logging", "AsyncHTTPClient"
        ), swiftSettings: swiftSettings),

        // Keeps a node's copies of shared state (validation index, lifecycle states, tiers, artifacts, throttle
        // counters) in step with the cluster's database.
        .target(name: "SluiceCluster", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceSecurity", "SluiceThrottling",
            "SluiceArtifacts", "Logging", "ServiceLifecycle"
        ), swiftSettings: swiftSettings),

        // MARK: - Node assembly
        // Builds a node (storage, key manager, handlers, gateway, management app) for the CLI and for tests.
        .target(name: "SluiceNode", dependencies: uses(
            "SluiceAnalytics", "CoreMetrics", "SluiceServerGuards", "SluiceModel", "SluiceSynapse",
            "SluiceMediation", "SluiceGateway", "SluiceStorage", "SluiceKeyManager", "SluiceControlPlane",
            "SluiceManagement", "SluiceArtifacts", "SluiceSecurity", "SluiceGatewayHandlers", "SluicePortal",
            "SluiceTLS", "SluiceJWT", "SluiceStoragePostgres", "SluiceCluster", "SluiceThrottling",
            "SluiceDatabaseMediators", "NIOPosix", "Logging", "ServiceLifecycle", "UnixSignals", "AsyncHTTPClient",
            "NIOSSL", "Tracing", "OTel"
        ), swiftSettings: swiftSettings),

        // MARK: - Executable
        .executableTarget(name: "sluice", dependencies: uses(
            "SluiceNode", "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceGateway", "SluiceStorage",
            "SluiceKeyManager", "SluiceControlPlane", "SluiceManagement", "SluiceArtifacts", "SluiceSecurity",
            "SluiceGatewayHandlers", "SluicePortal", "SluiceServerGuards", "NIOPosix", "AsyncHTTPClient",
            "ArgumentParser", "Logging", "ServiceLifecycle", "Yams"
        ), swiftSettings: swiftSettings),

        // MARK: - Test support
        .target(name: "SluiceTesting", dependencies: uses(
            "SluiceModel", "SluiceKeyManager", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOConcurrencyHelpers", "Logging",
            "NIOSSL"
        ), swiftSettings: swiftSettings),
        .executableTarget(name: "SluiceSampleBackend", dependencies: uses(
            "NIOCore", "NIOPosix", "NIOHTTP1"
        ), swiftSettings: swiftSettings),

        // libFuzzer harnesses (scripts/fuzz builds them with -sanitize=fuzzer,address); the ordinary build only
        // compiles their replay mode, which runs saved inputs through the same targets.
        .executableTarget(name: "SluiceFuzz", dependencies: uses(
            "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceGateway", "SluiceManagement", "SluicePortal",
            "NIOCore", "NIOEmbedded", "NIOHTTP1"
        ), path: "Fuzz/SluiceFuzz", swiftSettings: swiftSettings),

        // MARK: - Tests
        .testTarget(name: "SluiceModelTests", dependencies: uses("SluiceModel"), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceXMLTests", dependencies: uses("SluiceXML", "CLibXML2"), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceSynapseTests", dependencies: uses(
            "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceTesting"
        ), resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceMediationTests", dependencies: uses(
            "SluiceModel", "SluiceMediation", "SluiceSynapse", "SluiceScript", "SluiceTesting", "NIOCore",
            "NIOEmbedded", "NIOHTTP1", "Logging"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceGatewayTests", dependencies: uses(
            "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceGateway", "SluiceTesting", "SluiceScript",
            "SluiceStorage", "SluiceKeyManager", "SluiceSecurity", "SluiceThrottling", "SluiceAnalytics",
            "SluiceGatewayHandlers", "SluiceTLS", "SluiceJWT", "SluiceDatabaseMediators", "AsyncHTTPClient", "NIOEmbedded",
            "NIOSSL", "InMemoryTracing"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceDatabaseMediatorsTests", dependencies: uses(
            "SluiceMediation", "SluiceDatabaseMediators", "SluiceTesting", "NIOPosix", "Logging"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceServerGuardsTests", dependencies: uses(
            "SluiceServerGuards", "NIOCore", "NIOEmbedded", "NIOHTTP1"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceClusterTests", dependencies: uses(
            "SluiceCluster", "SluiceModel", "SluiceStorage", "SluiceThrottling", "SluiceKeyManager", "Logging"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceThrottlingTests", dependencies: uses(
            "SluiceModel", "SluiceThrottling", "SluiceMediation", "NIOHTTP1"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceSecurityTests", dependencies: uses(
            "SluiceModel", "SluiceMediation", "SluiceSecurity", "SluiceStorage", "SluiceKeyManager",
            "SluiceManagement", "SluiceJWT", "SluiceTLS", "HummingbirdTesting", "MetricsTestKit", "NIOCore",
            "NIOPosix", "NIOHTTP1"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceGatewayHandlersTests", dependencies: uses(
            "SluiceModel", "SluiceMediation", "SluiceSecurity", "SluiceThrottling", "SluiceAnalytics",
            "SluiceGatewayHandlers", "Logging", "NIOPosix"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceAnalyticsTests", dependencies: uses(
            "SluiceModel", "SluiceMediation", "SluiceStorage", "SluiceAnalytics", "NIOHTTP1", "ServiceLifecycle",
            "GRDB"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceTLSTests", dependencies: uses(
            "SluiceModel", "SluiceTLS", "SluiceTesting", "NIOCore", "NIOPosix", "NIOConcurrencyHelpers", "NIOTLS",
            "NIOSSL"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceStorageTests", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceStoragePostgres", "SluiceTesting", "GRDB", "Logging"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceKeyManagerTests", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceManagement", "SluiceTLS", "SluiceTesting",
            "SluiceJWT", "HummingbirdTesting", "AsyncHTTPClient", "NIOSSL", "Crypto"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceArtifactsTests", dependencies: uses(
            "SluiceModel", "SluiceSynapse", "SluiceMediation", "SluiceArtifacts", "SluiceTesting"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceManagementTests", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceArtifacts", "SluiceControlPlane",
            "SluiceManagement", "SluiceTesting", "SluiceTLS", "HummingbirdTesting", "NIOPosix"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluicePortalTests", dependencies: uses(
            "SluiceModel", "SluiceStorage", "SluiceKeyManager", "SluiceArtifacts", "SluiceControlPlane",
            "SluiceManagement", "SluicePortal", "SluiceTesting", "SluiceJWT", "SluiceTLS", "HummingbirdTesting"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceNodeTests", dependencies: uses(
            "SluiceModel", "SluiceNode", "SluiceGatewayHandlers", "SluiceTesting", "SluiceTLS", "SluiceKeyManager",
            "SluiceStorage", "SluiceAnalytics", "SluiceGateway", "SluiceMediation", "SluiceSynapse", "AsyncHTTPClient",
            "Logging", "NIOCore", "NIOPosix", "NIOHTTP1", "ServiceLifecycle"
        ), swiftSettings: swiftSettings),
        .testTarget(name: "SluiceCLITests", dependencies: uses(
            "sluice", "SluiceTesting", "SluiceGateway", "SluiceGatewayHandlers", "Logging", "AsyncHTTPClient"
        ), swiftSettings: swiftSettings),
    ]
)
