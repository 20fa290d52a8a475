import Foundation
import Logging
import NIOPosix
import SluiceAnalytics
import SluiceMediation
import SluiceModel
import SluiceSecurity
import SluiceThrottling
import Testing

@testable import SluiceGatewayHandlers

@Suite struct APIManagerRegistryTests {
    static func registry() -> GatewayHandlerRegistry {
        .apiManager(
            keyValidation: .immediate { _ in .denied(.invalidCredentials) },
            throttle: ThrottleEngine(catalog: ThrottleTierCatalog()),
            usage: UsageRecorder(queue: UsageEventQueue(capacity: 10))
        )
    }

    static let prefix = "org.wso2.carbon.apimgt.gateway.handlers."

    /// The chains WSO2's publishers emit (wso2-facts §1.4), with their properties.
    static let chains: [[GatewayHandlerSpec]] = [
        // 1.x
        [
            GatewayHandlerSpec(className: prefix + "security.APIAuthenticationHandler"),
            GatewayHandlerSpec(
                className: prefix + "throttling.APIThrottleHandler",
                properties: [.init(name: "id", value: "A"), .init(name: "policyKey", value: "gov:/apimgt/applicationdata/tiers.xml")]
            ),
            GatewayHandlerSpec(className: "org.wso2.carbon.apimgt.usage.publisher.APIMgtUsageHandler"),
            GatewayHandlerSpec(
                className: "org.wso2.carbon.apimgt.usage.publisher.APIMgtGoogleAnalyticsTrackingHandler",
                properties: [.init(name: "configKey", value: "gov:/apimgt/statistics/ga-config.xml")]
            ),
            GatewayHandlerSpec(className: prefix + "ext.APIManagerExtensionHandler"),
        ],
        // 2.x
        [
            GatewayHandlerSpec(className: prefix + "common.APIMgtLatencyStatsHandler"),
            GatewayHandlerSpec(
                className: prefix + "security.CORSRequestHandler",
                properties: [
                    .init(name: "apiImplementationType", value: "ENDPOINT"),
                    .init(name: "allowHeaders", value: "authorization,Access-Control-Allow-Origin,Content-Type"),
                    .init(name: "allowedOrigins", value: "*"),
                    .init(name: "allowedMethods", value: "GET,PUT,POST,DELETE,PATCH,OPTIONS"),
                    .init(name: "AllowCredentials", value: "false"),
                ]
            ),
            GatewayHandlerSpec(className: prefix + "security.APIAuthenticationHandler"),
            GatewayHandlerSpec(
                className: prefix + "throttling.ThrottleHandler",
                properties: [.init(name: "productionMaxCount", value: "100"), .init(name: "sandboxMaxCount", value: "")]
            ),
            GatewayHandlerSpec(className: prefix + "analytics.APIMgtUsageHandler"),
            GatewayHandlerSpec(className: prefix + "analytics.APIMgtGoogleAnalyticsTrackingHandler"),
            GatewayHandlerSpec(className: prefix + "ext.APIManagerExtensionHandler"),
        ],
        // 3.x
        [
            GatewayHandlerSpec(className: prefix + "common.APIMgtLatencyStatsHandler", properties: [.init(name: "apiUUID", value: "u")]),
            GatewayHandlerSpec(className: prefix + "security.CORSRequestHandler"),
            GatewayHandlerSpec(className: prefix + "common.APIStatusHandler"),
            GatewayHandlerSpec(
                className: prefix + "security.APIAuthenticationHandler",
                properties: [
                    .init(name: "APISecurity", value: "oauth2,oauth_basic_auth_api_key_mandatory"),
                    .init(name: "APILevelPolicy", value: ""),
                    .init(name: "RemoveOAuthHeadersFromOutMessage", value: "true"),
                    .init(name: "apiUUID", value: "u"),
                    .init(name: "keyManagers", value: "all"),
                ]
            ),
            GatewayHandlerSpec(className: prefix + "throttling.ThrottleHandler"),
            GatewayHandlerSpec(className: prefix + "analytics.APIMgtGoogleAnalyticsTrackingHandler"),
            GatewayHandlerSpec(className: prefix + "ext.APIManagerExtensionHandler"),
        ],
    ]

    @Test(arguments: chains)
    func everyChainWSO2EmitsBuilds(chain: [GatewayHandlerSpec]) throws {
        let built = try Self.registry().makeChain(chain)
        #expect(built.entries.map(\.className) == chain.map(\.className))
    }

    @Test func handlersKeepTheirTypesAndStandardOnesRemain() throws {
        let registry = Self.registry()
        #expect(try registry.makeHandler(GatewayHandlerSpec(className: Self.prefix + "security.APIAuthenticationHandler")) is APIAuthenticationHandler)
        #expect(try registry.makeHandler(GatewayHandlerSpec(className: Self.prefix + "throttling.APIThrottleHandler")) is ThrottleHandler)
        #expect(try registry.makeHandler(GatewayHandlerSpec(className: Self.prefix + "analytics.APIMgtUsageHandler")) is UsageHandler)
        #expect(try registry.makeHandler(GatewayHandlerSpec(className: Self.prefix + "common.APIMgtLatencyStatsHandler")) is LatencyStatsHandler)
        #expect(registry.contains("RequestIDHandler"))
        #expect(throws: MediationCompileError.self) {
            try registry.makeHandler(GatewayHandlerSpec(className: Self.prefix + "security.Unheard"))
        }
        #expect(throws: MediationCompileError.self) {
            try registry.makeHandler(
                GatewayHandlerSpec(
                    className: Self.prefix + "throttling.ThrottleHandler",
                    properties: [.init(name: "productionMaxCount", value: "-3")]
                )
            )
        }
    }

    @Test func extensionSequenceNames() {
        let api = SynapseAPI(name: "admin--PizzaShackAPI", context: "/pizzashack", version: "1.0.0")
        let names = APIManagerExtensionHandler.sequenceNames(for: api)
        #expect(names.request == ["WSO2AM--Ext--In", "admin--PizzaShackAPI:v1.0.0--In"])
        #expect(names.response == ["WSO2AM--Ext--Out", "admin--PizzaShackAPI:v1.0.0--Out"])
    }

    @Test func tierFileChangesReplaceTheCatalog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tiers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalog = ThrottleTierCatalog()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let service = TierReloadService(confDirectory: folder, catalog: catalog, logger: logger)
        #expect(service.reloadIfChanged())
        #expect(catalog.tier(named: "Gold", level: .subscription)?.maxCount == 20)
        #expect(!service.reloadIfChanged())
        try Self.tiers(gold: 7).write(toFile: folder + "/tiers.xml", atomically: true, encoding: .utf8)
        #expect(service.reloadIfChanged())
        #expect(catalog.tier(named: "Gold", level: .subscription)?.maxCount == 7)
        #expect(catalog.tierSets[.subscription]?.tiers.map(\.name) == ["Gold"])
        try "<broken".write(toFile: folder + "/tiers.xml", atomically: true, encoding: .utf8)
        #expect(!service.reloadIfChanged())
        #expect(catalog.tier(named: "Gold", level: .subscription)?.maxCount == 7)
    }

    @Test func nodeComponentsNeedAKeyManager() throws {
        let logger = Logger(label: "test")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-node-\(UUID().uuidString)").path
        #expect(throws: APIManagerGatewayHandlers.ConfigurationError.self) {
            try APIManagerGatewayHandlers.node(
                repositoryPath: folder, localKeyValidation: nil, keyManagerURL: "http://127.0.0.1:9763",
                adminUsername: "admin", adminPassword: nil, usageRepository: nil,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger
            )
        }
        let local = try APIManagerGatewayHandlers.node(
            repositoryPath: folder, localKeyValidation: .immediate { _ in .denied(.invalidCredentials) },
            keyManagerURL: nil, adminUsername: "admin", adminPassword: nil, usageRepository: nil,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger
        )
        #expect(local.services.map { String(describing: type(of: $0)) } == ["TierReloadService"])
        #expect(local.usageQueue == nil)
        #expect(local.registry.contains("org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler"))
        let remote = try APIManagerGatewayHandlers.node(
            repositoryPath: folder, localKeyValidation: nil, keyManagerURL: "http://127.0.0.1:9763",
            adminUsername: "admin", adminPassword: "secret", usageRepository: nil,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger
        )
        // A split gateway also loads the key manager's signing keys, to check JWTs itself.
        #expect(
            remote.services.map { String(describing: type(of: $0)) }
                == ["RevocationFeedService", "SigningKeyRefreshService", "TierReloadService"]
        )
    }

    static func tiers(gold: Int) -> String {
        """
        <wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
                    xmlns:throttle="http://www.wso2.org/products/wso2commons/throttle">
         <throttle:MediatorThrottleAssertion><wsp:Policy>
          <throttle:ID throttle:type="ROLE">Gold</throttle:ID>
          <wsp:Policy><throttle:Control><wsp:Policy>
           <throttle:MaximumCount>\(gold)</throttle:MaximumCount><throttle:UnitTime>60000</throttle:UnitTime>
          </wsp:Policy></throttle:Control></wsp:Policy></wsp:Policy></throttle:MediatorThrottleAssertion></wsp:Policy>
        """
    }
}
