import SluiceArtifacts
import SluiceMediation
import SluiceModel
import Testing

@Suite struct APITemplateBuilderTests {
    let handlers = "org.wso2.carbon.apimgt.gateway.handlers."
    let noCORS = APITemplateBuilder(settings: ArtifactSettings(globalCORS: .disabled))

    @Test func namesContextAndVersionFollowThePublisher() throws {
        let api = try noCORS.api(for: Fixtures.pizzaShack())
        #expect(api.name == "admin--PizzaShackAPI")
        #expect(api.context == "/pizzashack/1.0.0")
        #expect(api.version == "1.0.0")
        #expect(api.versionType == .context)
        #expect(api.effectiveContext == "/pizzashack/1.0.0")
        #expect(api.transports == nil)
        #expect(noCORS.fileName(for: Fixtures.pizzaShack()) == "admin--PizzaShackAPI_v1.0.0.xml")
    }

    @Test func substitutesAVersionPlaceholderAndPrefixesTenantContexts() throws {
        var definition = Fixtures.pizzaShack()
        definition.context = "/{version}/pizzashack"
        definition.provider = "alice@example.com"
        definition.transport = ["https"]
        let api = try noCORS.api(for: definition)
        #expect(api.name == "alice-AT-example.com--PizzaShackAPI")
        #expect(api.context == "/t/example.com/1.0.0/pizzashack")
        #expect(api.transports == [.https])
        #expect(noCORS.fileName(for: definition) == "alice-AT-example.com--PizzaShackAPI_v1.0.0.xml")
        #expect(noCORS.unversionedContext(for: definition) == "/t/example.com/pizzashack")
        definition.provider = "admin@carbon.super"
        #expect(try noCORS.api(for: definition).context == "/1.0.0/pizzashack")
    }

    @Test func chooseUriTemplateOnlyForVariablesAndInnerWildcards() throws {
        var definition = Fixtures.pizzaShack()
        definition.operations = [
            APIOperation(target: "/menu", verb: "GET"),
            APIOperation(target: "/order/{orderId}", verb: "GET"),
            APIOperation(target: "/images/*", verb: "GET"),
            APIOperation(target: "/*", verb: "DELETE"),
        ]
        let dispatchers = try noCORS.api(for: definition).resources.map(\.dispatcher)
        #expect(
            dispatchers == [
                .urlMapping(.exact("/menu")),
                .uriTemplate(try URITemplate("/order/{orderId}")),
                .urlMapping(.prefix("/images")),
                .urlMapping(.prefix("")),
            ]
        )
    }

    @Test func resourcesCarryMethodsSluiceAttributesAndSequences() throws {
        let resources = try noCORS.api(for: Fixtures.pizzaShack()).resources
        #expect(resources.map(\.methods) == [["GET"], ["POST"], ["GET"], ["GET"]])
        #expect(resources.map(\.authType) == ["None", "Application User", nil, nil])
        #expect(resources.map(\.throttlingTier) == [nil, "Gold", nil, nil])
        #expect(resources[2].scopes == ["order_read", "order_admin"])
        for resource in resources {
            #expect(resource.faultSequence == .key("fault"))
            #expect(
                resource.outSequence
                    == .inline([
                        .classMediator(
                            ClassMediator(
                                className: "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtResponseHandler"
                            )
                        ),
                        .send(SendMediator()),
                    ])
            )
        }
    }

    @Test func inSequenceFiltersOnTheKeyTypeAndSendsToTheNamedEndpoints() throws {
        let resource = try #require(try noCORS.api(for: Fixtures.pizzaShack()).resources.first)
        guard case .inline(let mediators) = resource.inSequence, mediators.count == 2,
            let timing = mediators[0].as(PropertyMediator.self), let filter = mediators[1].as(FilterMediator.self)
        else {
            Issue.record("unexpected inSequence \(String(describing: resource.inSequence))")
            return
        }
        #expect(timing.name == "api.ut.backendRequestTime")
        #expect(timing.value == .expression(try SynapseExpression(parsing: "get-property('SYSTEM_TIME')")))
        #expect(
            filter.condition
                == .sourceMatches(source: try SynapseExpression(parsing: "$ctx:AM_KEY_TYPE"), regex: "PRODUCTION")
        )
        let production = try #require(sentEndpoint(filter.then))
        #expect(production.name == "admin--PizzaShackAPI_APIproductionEndpoint_0")
        guard case .http(let http) = production.kind else {
            Issue.record("production endpoint is not an http endpoint: \(production.kind)")
            return
        }
        #expect(http.uriTemplate == "https://backend.example.com/pizzashack/api/")
        #expect(http.qos.timeout == EndpointTimeout(duration: 30_000, responseAction: .fault))
        #expect(
            http.qos.suspendOnFailure
                == SuspendOnFailure(errorCodes: [-1], initialDuration: 0, progressionFactor: 1.0, maximumDuration: 0)
        )
        #expect(http.qos.markForSuspension == MarkForSuspension(errorCodes: [-1]))
        let sandbox = try #require(sentEndpoint(filter.otherwise))
        #expect(sandbox.name == "admin--PizzaShackAPI_APIsandboxEndpoint_0")
    }

    @Test func missingKeyTypeEndpointsRunTheKeyErrorSequences() throws {
        var definition = Fixtures.pizzaShack()
        definition.endpointConfig?.sandboxEndpoints = []
        var filter = try firstFilter(try noCORS.api(for: definition))
        #expect(filter.otherwise == [.sequence(key: "_sandbox_key_error_")])
        let production = definition.endpointConfig?.productionEndpoints ?? []
        definition.endpointConfig?.sandboxEndpoints = production
        definition.endpointConfig?.productionEndpoints = []
        filter = try firstFilter(try noCORS.api(for: definition))
        #expect(filter.then == [.sequence(key: "_production_key_error_")])
    }

    @Test func advancedEndpointSettingsOverrideTheNeverSuspendDefaults() throws {
        var definition = Fixtures.pizzaShack()
        definition.endpointConfig = APIEndpointConfig(
            endpointType: .address,
            productionEndpoints: [
                APIEndpoint(
                    url: "http://backend:8080/api",
                    config: APIEndpointAdvancedConfig(
                        actionSelect: "discard",
                        suspendErrorCode: [101504],
                        suspendDuration: 1000,
                        suspendMaxDuration: 8000,
                        factor: 2.0,
                        retryErrorCode: [101505],
                        retryTimeOut: 3,
                        retryDelay: 500
                    )
                )
            ],
            endpointTimeout: 5000
        )
        let endpoint = try #require(sentEndpoint(try firstFilter(try noCORS.api(for: definition)).then))
        #expect(
            endpoint.kind
                == .address(
                    AddressEndpoint(
                        uri: "http://backend:8080/api",
                        qos: EndpointQoS(
                            timeout: EndpointTimeout(duration: 5000, responseAction: .discard),
                            suspendOnFailure: SuspendOnFailure(
                                errorCodes: [101504],
                                initialDuration: 1000,
                                progressionFactor: 2.0,
                                maximumDuration: 8000
                            ),
                            markForSuspension: MarkForSuspension(
                                errorCodes: [101505],
                                retriesBeforeSuspension: 3,
                                retryDelay: 500
                            )
                        )
                    )
                )
        )
    }

    @Test func loadBalanceAndFailoverNumberTheirMembers() throws {
        var definition = Fixtures.pizzaShack()
        definition.endpointConfig = APIEndpointConfig(
            endpointType: .loadBalance,
            productionEndpoints: [APIEndpoint(url: "http://a/x"), APIEndpoint(url: "http://b/x")],
            sessionManagement: "none"
        )
        var endpoint = try #require(sentEndpoint(try firstFilter(try noCORS.api(for: definition)).then))
        #expect(endpoint.name == "admin--PizzaShackAPI_APIproductionEndpoint_0")
        guard case .loadbalance(let balance) = endpoint.kind else {
            Issue.record("not a loadbalance endpoint: \(endpoint.kind)")
            return
        }
        #expect(balance.sessionType == nil)
        #expect(
            balance.members.map(\.name) == [
                "admin--PizzaShackAPI_APIproductionEndpoint_1", "admin--PizzaShackAPI_APIproductionEndpoint_2",
            ]
        )

        definition.endpointConfig = APIEndpointConfig(
            endpointType: .failover,
            productionEndpoints: [APIEndpoint(url: "http://primary/x")],
            productionFailovers: [APIEndpoint(url: "http://secondary/x")]
        )
        endpoint = try #require(sentEndpoint(try firstFilter(try noCORS.api(for: definition)).then))
        guard case .failover(let failover) = endpoint.kind else {
            Issue.record("not a failover endpoint: \(endpoint.kind)")
            return
        }
        let urls = failover.members.map { member -> String in
            if case .http(let http) = member.kind { return http.uriTemplate }
            return "?"
        }
        #expect(urls == ["http://primary/x", "http://secondary/x"])
    }

    // MARK: - Handlers

    @Test func publishedAPIsGetTheWSO2ChainInOrder() throws {
        var definition = Fixtures.pizzaShack()
        definition.maxTps = MaxTPS(production: 100, sandbox: 10)
        let chain = try noCORS.api(for: definition).handlers
        #expect(
            chain.map(\.className) == [
                handlers + "common.APIMgtLatencyStatsHandler",
                handlers + "security.APIAuthenticationHandler",
                handlers + "throttling.ThrottleHandler",
                handlers + "analytics.APIMgtUsageHandler",
                handlers + "analytics.APIMgtGoogleAnalyticsTrackingHandler",
                handlers + "ext.APIManagerExtensionHandler",
            ]
        )
        #expect(chain[1][property: "RemoveOAuthHeadersFromOutMessage"] == "true")
        #expect(chain[2][property: "productionMaxCount"] == "100")
        #expect(chain[2][property: "sandboxMaxCount"] == "10")
        #expect(chain[4][property: "configKey"] == "gov:/apimgt/statistics/ga-config.xml")
        #expect(chain[0].properties.isEmpty && chain[3].properties.isEmpty && chain[5].properties.isEmpty)
    }

    @Test func throttleHandlerHasNoHardLimitsUnlessSet() throws {
        let chain = try noCORS.api(for: Fixtures.pizzaShack()).handlers
        #expect(chain[2].className == handlers + "throttling.ThrottleHandler")
        #expect(chain[2].properties.isEmpty)
    }

    @Test func prototypesSkipAuthenticationThrottlingAndStatistics() throws {
        let chain = try noCORS.api(for: Fixtures.pizzaShack(status: "PROTOTYPED")).handlers
        #expect(chain.map(\.className) == [handlers + "common.APIMgtLatencyStatsHandler"])
        let withCORS = try APITemplateBuilder().api(for: Fixtures.pizzaShack(), status: .prototyped).handlers
        #expect(
            withCORS.map(\.className) == [
                handlers + "common.APIMgtLatencyStatsHandler", handlers + "security.CORSRequestHandler",
            ]
        )
    }

    @Test func extensionHandlerCanGoFirst() throws {
        let builder = APITemplateBuilder(
            settings: ArtifactSettings(globalCORS: .disabled, extensionHandlerPosition: .top)
        )
        let chain = try builder.api(for: Fixtures.pizzaShack()).handlers
        #expect(chain.first?.className == handlers + "ext.APIManagerExtensionHandler")
        #expect(chain.count == 6)
    }

    @Test func globalCORSAddsTheHandlerWithWSO2Defaults() throws {
        let chain = try APITemplateBuilder().api(for: Fixtures.pizzaShack()).handlers
        #expect(chain.count == 7)
        let cors = chain[1]
        #expect(cors.className == handlers + "security.CORSRequestHandler")
        #expect(
            cors.properties == [
                GatewayHandlerSpec.Property(name: "apiImplementationType", value: "ENDPOINT"),
                GatewayHandlerSpec.Property(
                    name: "allowHeaders",
                    value: "authorization,Access-Control-Allow-Origin,Content-Type,SOAPAction"
                ),
                GatewayHandlerSpec.Property(name: "allowedOrigins", value: "*"),
                GatewayHandlerSpec.Property(name: "allowedMethods", value: "GET,PUT,POST,DELETE,PATCH,OPTIONS"),
                GatewayHandlerSpec.Property(name: "AllowCredentials", value: "false"),
            ]
        )
    }

    @Test func anAPIsOwnCORSWinsAndWorksWithoutTheGlobalOne() throws {
        var definition = Fixtures.pizzaShack()
        definition.corsConfiguration = APICORSConfiguration(
            corsConfigurationEnabled: true,
            accessControlAllowOrigins: ["https://shop.example.com"],
            accessControlAllowHeaders: ["authorization"],
            accessControlAllowMethods: ["GET"],
            accessControlAllowCredentials: true
        )
        let cors = try #require(
            try noCORS.api(for: definition).handlers.first { $0.className.hasSuffix("CORSRequestHandler") }
        )
        #expect(cors[property: "allowedOrigins"] == "https://shop.example.com")
        #expect(cors[property: "allowHeaders"] == "authorization")
        #expect(cors[property: "allowedMethods"] == "GET")
        #expect(cors[property: "AllowCredentials"] == "true")

        definition.corsConfiguration?.corsConfigurationEnabled = false
        #expect(try noCORS.api(for: definition).handlers.allSatisfy { !$0.className.hasSuffix("CORSRequestHandler") })
    }

    // MARK: - Variants

    @Test func blockedAPIsAnswer700700WithA503OnEveryPath() throws {
        let api = try noCORS.api(for: Fixtures.pizzaShack(status: "BLOCKED"))
        #expect(api.name == "admin--PizzaShackAPI")
        #expect(api.context == "/pizzashack/1.0.0")
        #expect(api.handlers.isEmpty)
        #expect(api.resources.count == 1)
        let resource = api.resources[0]
        #expect(resource.methods.isEmpty)
        #expect(resource.dispatcher == .urlMapping(try URLMapping("/*")))
        guard case .inline(let mediators) = resource.inSequence, mediators.count == 3,
            let payload = mediators[1].as(PayloadFactoryMediator.self)
        else {
            Issue.record("unexpected blocked inSequence \(String(describing: resource.inSequence))")
            return
        }
        #expect(mediators[0] == .property(PropertyMediator(name: "HTTP_SC", value: .literal("503"), scope: .axis2)))
        #expect(payload.mediaType == .json)
        #expect(payload.format.contains(#""code":700700"#))
        #expect(payload.format.contains(#""message":"API blocked""#))
        #expect(payload.format.contains("This API has been blocked temporarily. Please try again later"))
        #expect(mediators[2] == .respond)
        #expect(!resource.containsSend)

        let withCORS = try APITemplateBuilder().blockedAPI(for: Fixtures.pizzaShack())
        #expect(withCORS.handlers.map(\.className) == [handlers + "security.CORSRequestHandler"])
        #expect(withCORS.handlers.first?[property: "apiImplementationType"] == "INLINE")
    }

    @Test func defaultVersionForwardsToTheVersionedContextOnce() throws {
        var definition = Fixtures.pizzaShack()
        definition.isDefaultVersion = true
        let builder = APITemplateBuilder(
            settings: ArtifactSettings(globalCORS: .disabled, gatewayURL: "http://gw:8280/")
        )
        let artifacts = try builder.artifacts(for: definition)
        #expect(artifacts.map(\.fileName) == ["admin--PizzaShackAPI_v1.0.0.xml", "admin--PizzaShackAPI.xml"])
        let api = artifacts[1].api
        #expect(api.name == "admin--PizzaShackAPI")
        #expect(api.context == "/pizzashack")
        #expect(api.version == nil && api.versionType == nil)
        #expect(api.handlers.isEmpty)
        let filter = try firstFilter(api)
        #expect(
            filter.condition
                == .sourceMatches(
                    source: try SynapseExpression(parsing: "$trp:WSO2_AM_API_DEFAULT_VERSION"),
                    regex: "true"
                )
        )
        #expect(filter.then.contains(.respond))
        #expect(
            filter.otherwise.first
                == .header(
                    HeaderMediator(name: "WSO2_AM_API_DEFAULT_VERSION", value: .literal("true"), scope: .transport)
                )
        )
        let forward = try #require(sentEndpoint(filter.otherwise))
        guard case .address(let address) = forward.kind else {
            Issue.record("not an address endpoint: \(forward.kind)")
            return
        }
        #expect(address.uri == "http://gw:8280/pizzashack/1.0.0")
        #expect(address.qos.timeout == EndpointTimeout(duration: 60_000, responseAction: .fault))
        #expect(try builder.artifacts(for: Fixtures.pizzaShack()).count == 1)
    }

    @Test func operationsDefaultToTheCatchAllResources() throws {
        var definition = Fixtures.pizzaShack()
        definition.operations = []
        let resources = try noCORS.api(for: definition).resources
        #expect(resources.map(\.methods) == [["GET"], ["PUT"], ["POST"], ["DELETE"], ["PATCH"]])
        #expect(resources.allSatisfy { $0.dispatcher == .urlMapping(.prefix("")) })
    }

    @Test func invalidDefinitionsAreRejectedBeforeBuilding() {
        var definition = Fixtures.pizzaShack()
        definition.endpointConfig = nil
        let error = #expect(throws: APIValidationError.self) { try noCORS.api(for: definition) }
        #expect(error?.hasIssue(for: "endpointConfig") == true)
        #expect(throws: APIValidationError.self) { try noCORS.blockedAPI(for: definition) }
        #expect(throws: APIValidationError.self) { try noCORS.defaultVersionAPI(for: definition) }
    }

    // MARK: - Helpers

    private func firstFilter(_ api: SynapseAPI) throws -> FilterMediator {
        guard case .inline(let mediators)? = api.resources.first?.inSequence,
            let filter = mediators.lazy.compactMap({ $0.as(FilterMediator.self) }).first
        else { throw BuilderTestError.noFilter }
        return filter
    }

    private func sentEndpoint(_ mediators: [MediatorNode]) -> EndpointDefinition? {
        mediators.lazy.compactMap { $0.as(SendMediator.self) }.first?.endpoint
    }
}

private enum BuilderTestError: Error {
    case noFilter
}

extension APIResource {
    /// Whether any mediator of the inSequence sends the message on.
    fileprivate var containsSend: Bool {
        guard case .inline(let mediators) = inSequence else { return false }
        return mediators.contains { $0.as(SendMediator.self) != nil }
    }
}
