import Foundation
import SluiceArtifacts
import SluiceModel
import Testing

@Suite struct APIDefinitionTests {
    @Test func decodesTheSamplePizzaShackDefinition() throws {
        let definition = try JSONDecoder().decode(
            APIDefinition.self,
            from: Data(contentsOf: Fixtures.sampleDefinitionURL)
        )
        #expect(definition.name == "PizzaShackAPI")
        #expect(definition.context == "/pizzashack")
        #expect(definition.provider == "admin")
        #expect(definition.status == .published)
        #expect(definition.visibility == .public)
        #expect(definition.isDefaultVersion)
        #expect(definition.operations.count == 5)
        #expect(definition.operations[0].normalizedAuthType == "Any")
        #expect(definition.operations[3].scopes == ["order_update"])
        #expect(definition.endpointConfig?.endpointType == .http)
        #expect(
            definition.endpointConfig?.productionEndpoints == [APIEndpoint(url: "http://localhost:9000/pizzashack")]
        )
        #expect(definition.corsConfiguration?.corsConfigurationEnabled == false)
        #expect(definition.businessInformation?.technicalOwner == "John Doe")
        #expect(definition.validationIssues(forDeployment: true).isEmpty)
    }

    @Test func absentFieldsTakeThePublisherDefaults() throws {
        let json = #"{"name":"Echo","context":"/echo","version":"v1"}"#
        let definition = try JSONDecoder().decode(APIDefinition.self, from: Data(json.utf8))
        #expect(definition.status == .created)
        #expect(definition.transport == ["http", "https"])
        #expect(definition.operations.isEmpty)
        #expect(definition.effectiveOperations.map(\.verb) == ["GET", "PUT", "POST", "DELETE", "PATCH"])
        #expect(definition.effectiveOperations.allSatisfy { $0.target == "/*" })
        #expect(!definition.isDefaultVersion)
        #expect(definition.validationIssues().isEmpty)
    }

    @Test func decodesLoadBalancedAndFailoverEndpointsWithStringNumbers() throws {
        let json = #"""
            {"endpoint_type":"load_balance","algoClassName":"org.apache.synapse.endpoints.algorithms.RoundRobin",
             "sessionManagement":"http",
             "production_endpoints":[{"url":"http://a:1/x","config":{"actionDuration":"5000","actionSelect":"discard",
               "suspendErrorCode":["101504","101505"],"suspendDuration":"1000","factor":"2.0","retryErroCode":[],
               "retryTimeOut":"3","retryDelay":""}},{"url":"http://b:2/x"}],
             "sandbox_endpoints":{"url":""}}
            """#
        let config = try JSONDecoder().decode(APIEndpointConfig.self, from: Data(json.utf8))
        #expect(config.endpointType == .loadBalance)
        #expect(config.productionEndpoints.map(\.url) == ["http://a:1/x", "http://b:2/x"])
        #expect(config.sandboxEndpoints.isEmpty)
        let advanced = try #require(config.productionEndpoints[0].config)
        #expect(advanced.actionDuration == 5000)
        #expect(advanced.actionSelect == "discard")
        #expect(advanced.suspendErrorCode == [101504, 101505])
        #expect(advanced.suspendDuration == 1000)
        #expect(advanced.factor == 2.0)
        #expect(advanced.retryTimeOut == 3)
        #expect(advanced.retryDelay == nil)
    }

    @Test func encodesAndDecodesToTheSameDefinition() throws {
        let definition = Fixtures.pizzaShack()
        let data = try JSONEncoder().encode(definition)
        #expect(try JSONDecoder().decode(APIDefinition.self, from: data) == definition)
    }

    @Test func aNonNumericStringInANumberFieldIsADecodingError() {
        let json = #"{"actionDuration":"soon"}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(APIEndpointAdvancedConfig.self, from: Data(json.utf8))
        }
    }

    // MARK: - Validation

    @Test(arguments: [
        ("pizzashack", "context 'pizzashack' must start with '/'"),
        ("/pizza shack", "context '/pizza shack' must not contain spaces"),
        ("/pizzashack/", "context '/pizzashack/' must not end with '/'"),
        ("/pizza//shack", "context '/pizza//shack' must not contain '//'"),
        ("/", "context must name at least one path segment"),
        ("", "context is required"),
        ("/{version}/a/{version}", "context '/{version}/a/{version}' may hold '{version}' only once"),
    ])
    func rejectsBadContexts(context: String, message: String) {
        var definition = Fixtures.pizzaShack()
        definition.context = context
        #expect(definition.validationIssues() == [APIValidationError.Issue(field: "context", message: message)])
    }

    @Test func acceptsAVersionPlaceholderInTheContext() {
        var definition = Fixtures.pizzaShack()
        definition.context = "/{version}/pizzashack"
        #expect(definition.validationIssues().isEmpty)
    }

    @Test func rejectsBadNamesVersionsAndProviders() {
        var definition = Fixtures.pizzaShack()
        definition.name = "Pizza Shack"
        definition.version = ""
        definition.provider = "ad min"
        let error = #expect(throws: APIValidationError.self) { try definition.validate() }
        #expect(
            error?.issues == [
                APIValidationError.Issue(field: "name", message: "name 'Pizza Shack' must not contain spaces"),
                APIValidationError.Issue(field: "version", message: "version is required"),
                APIValidationError.Issue(
                    field: "provider",
                    message: "provider must be a user name without spaces or slashes"
                ),
            ]
        )
        definition.name = "Pizza$hack"
        definition.version = "1.0.0"
        definition.provider = "admin"
        #expect(
            definition.validationIssues() == [
                APIValidationError.Issue(
                    field: "name",
                    message: "name 'Pizza$hack' may contain only letters, digits, '-', '_' and '.'"
                )
            ]
        )
    }

    @Test func rejectsBadOperations() {
        var definition = Fixtures.pizzaShack()
        definition.operations = [
            APIOperation(target: "/menu", verb: "FETCH"),
            APIOperation(target: "menu", verb: "GET"),
            APIOperation(target: "/a/*/b", verb: "GET"),
            APIOperation(target: "/menu", verb: "GET", authType: "Everyone"),
            APIOperation(target: "/menu", verb: "get"),
        ]
        let issues = definition.validationIssues()
        #expect(
            issues.map(\.field) == [
                "operations[0].verb", "operations[1].target", "operations[2].target", "operations[3].authType",
                "operations[4]",
            ]
        )
        #expect(issues[0].message.hasPrefix("verb 'FETCH' is not one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"))
        #expect(issues[1].message == "target 'menu' must start with '/'")
        #expect(issues[2].message.contains("'*' is allowed only as the last segment"))
        #expect(issues[4].message == "operation GET /menu is declared twice")
    }

    @Test func rejectsBadEndpointsAndTransports() {
        var definition = Fixtures.pizzaShack()
        definition.transport = ["http", "ftp"]
        definition.endpointConfig = APIEndpointConfig(
            endpointType: .http,
            productionEndpoints: [APIEndpoint(url: "ftp://backend/x")],
            sandboxEndpoints: [
                APIEndpoint(url: "http:///nohost", config: APIEndpointAdvancedConfig(actionSelect: "retry"))
            ]
        )
        let issues = definition.validationIssues()
        #expect(
            issues.map(\.field) == [
                "transport[1]", "endpointConfig.production_endpoints[0].url", "endpointConfig.sandbox_endpoints[0].url",
                "endpointConfig.sandbox_endpoints[0].config.actionSelect",
            ]
        )
        #expect(issues[1].message == "endpoint URL 'ftp://backend/x' must start with http:// or https://")
        #expect(issues[2].message == "endpoint URL 'http:///nohost' has no host")
    }

    @Test func deploymentNeedsAProviderAndAnEndpoint() {
        var definition = Fixtures.pizzaShack()
        definition.provider = nil
        definition.endpointConfig = APIEndpointConfig(endpointType: .http)
        #expect(definition.validationIssues().isEmpty)
        #expect(definition.validationIssues(forDeployment: true).map(\.field) == ["provider", "endpointConfig"])
        definition.endpointConfig = nil
        #expect(definition.validationIssues(forDeployment: true).map(\.field) == ["provider", "endpointConfig"])
    }

    @Test func aSingleEndpointTypeTakesOneEndpoint() {
        var definition = Fixtures.pizzaShack()
        definition.endpointConfig?.productionEndpoints.append(APIEndpoint(url: "http://other/x"))
        #expect(definition.validationIssues().map(\.field) == ["endpointConfig.endpoint_type"])
        definition.endpointConfig?.endpointType = .loadBalance
        #expect(definition.validationIssues().isEmpty)
    }
}

@Suite struct APIDefinitionVersioningTests {
    @Test func aNewVersionStartsOverAsCreated() throws {
        var definition = Fixtures.pizzaShack()
        definition.id = "4f1c"
        definition.isDefaultVersion = true

        let copy = try definition.copying(asVersion: "2.0.0")

        #expect(copy.id == nil)
        #expect(copy.version == "2.0.0")
        #expect(copy.status == .created)
        #expect(!copy.isDefaultVersion)
        #expect(copy.operations == definition.operations && copy.endpointConfig == definition.endpointConfig)
        #expect(try definition.copying(asVersion: "2.0.0", makeDefault: true).isDefaultVersion)
        #expect(try APITemplateBuilder().api(for: copy, status: .published).context == "/pizzashack/2.0.0")
    }

    @Test func theNewVersionMustBeNewAndValid() {
        let definition = Fixtures.pizzaShack()
        let same = #expect(throws: APIValidationError.self) { try definition.copying(asVersion: "1.0.0") }
        #expect(
            same?.issues == [APIValidationError.Issue(field: "newVersion", message: "version 1.0.0 already exists")]
        )
        let spaced = #expect(throws: APIValidationError.self) { try definition.copying(asVersion: "2 beta") }
        #expect(
            spaced?.issues == [
                APIValidationError.Issue(field: "newVersion", message: "version '2 beta' must not contain spaces")
            ]
        )
    }
}
