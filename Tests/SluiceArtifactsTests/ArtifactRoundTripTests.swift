import SluiceArtifacts
import SluiceModel
import SluiceSynapse
import Testing

/// Generated artifacts must read back through the gateway's parser unchanged: what `sluice validate` and the
/// hot-deploy watcher see is what the publisher built.
@Suite struct ArtifactRoundTripTests {
    static let variants: [(String, SynapseAPI)] = {
        let builder = APITemplateBuilder()
        let noCORS = APITemplateBuilder(settings: ArtifactSettings(globalCORS: .disabled))
        var loadBalanced = Fixtures.pizzaShack()
        loadBalanced.maxTps = MaxTPS(production: 50)
        loadBalanced.endpointConfig = APIEndpointConfig(
            endpointType: .loadBalance,
            productionEndpoints: [APIEndpoint(url: "http://a:8080/x"), APIEndpoint(url: "http://b:8080/x")],
            algorithmClassName: "org.apache.synapse.endpoints.algorithms.RoundRobin",
            sessionManagement: "http"
        )
        var failover = Fixtures.pizzaShack()
        failover.transport = ["https"]
        failover.endpointConfig = APIEndpointConfig(
            endpointType: .failover,
            productionEndpoints: [APIEndpoint(url: "http://primary/x")],
            sandboxEndpoints: [APIEndpoint(url: "http://sandbox/x")],
            productionFailovers: [
                APIEndpoint(
                    url: "http://secondary/x",
                    config: APIEndpointAdvancedConfig(actionDuration: 2000, retryTimeOut: 2)
                )
            ]
        )
        var address = Fixtures.pizzaShack()
        address.context = "/{version}/pizzashack"
        address.provider = "alice@example.com"
        address.endpointConfig = APIEndpointConfig(
            endpointType: .address,
            productionEndpoints: [APIEndpoint(url: "http://backend/api")],
            endpointTimeout: 10_000
        )
        do {
            return [
                ("published with CORS", try builder.api(for: Fixtures.pizzaShack())),
                ("published without CORS", try noCORS.api(for: Fixtures.pizzaShack())),
                ("prototyped", try builder.api(for: Fixtures.pizzaShack(), status: .prototyped)),
                ("blocked", try builder.blockedAPI(for: Fixtures.pizzaShack())),
                ("blocked without CORS", try noCORS.blockedAPI(for: Fixtures.pizzaShack())),
                ("default version", try builder.defaultVersionAPI(for: Fixtures.pizzaShack())),
                ("load balanced", try noCORS.api(for: loadBalanced)),
                ("failover", try noCORS.api(for: failover)),
                ("address, tenant", try noCORS.api(for: address)),
            ]
        } catch {
            Issue.record("fixture definitions must build: \(error)")
            return []
        }
    }()

    @Test(arguments: variants)
    func generatedXMLParsesBackToTheSameAPI(label: String, api: SynapseAPI) throws {
        let xml = SynapseSerializer.xml(for: api)
        let parsed = try SynapseParser().parse(xml: xml, fileName: "\(label).xml")
        #expect(parsed.apis.map(\.withoutLocations) == [api], "\(label):\n\(xml)")
        #expect(parsed.sequences.isEmpty && parsed.endpoints.isEmpty)
    }

    @Test func publishedXMLHasTheWSO2Shape() throws {
        let xml = SynapseSerializer.xml(for: try APITemplateBuilder().api(for: Fixtures.pizzaShack()))
        #expect(xml.contains(#"name="admin--PizzaShackAPI""#))
        #expect(xml.contains(#"context="/pizzashack/1.0.0""#))
        #expect(xml.contains(#"version-type="context""#))
        #expect(xml.contains(#"url-mapping="/menu""#))
        #expect(xml.contains(#"uri-template="/order/{orderId}""#))
        #expect(xml.contains(#"<filter source="$ctx:AM_KEY_TYPE" regex="PRODUCTION">"#))
        #expect(xml.contains(#"<endpoint name="admin--PizzaShackAPI_APIproductionEndpoint_0">"#))
        #expect(xml.contains(#"<http uri-template="https://backend.example.com/pizzashack/api/">"#))
        #expect(xml.contains(#"faultSequence="fault""#))
        #expect(
            xml.contains(#"<class name="org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtResponseHandler"/>"#)
        )
    }
}
