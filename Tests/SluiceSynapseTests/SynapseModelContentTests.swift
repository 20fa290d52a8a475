import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceSynapse

/// Checks that fixtures parse into the values they spell out, so round trips compare real content.
@Suite struct SynapseModelContentTests {
    private func parse(_ fixture: String) throws -> SynapseArtifacts {
        try SynapseParser().parseFile(atPath: FixtureFiles.path(fixture))
    }

    @Test func publisherShapedAPI() throws {
        let artifacts = try parse("valid/admin--PizzaShackAPI_v1.0.0.xml")
        let api = try #require(artifacts.apis.first)
        #expect(api.name == "admin--PizzaShackAPI")
        #expect(api.context == "/pizzashack/1.0.0")
        #expect(api.version == "1.0.0")
        #expect(api.versionType == .context)
        #expect(api.effectiveContext == "/pizzashack/1.0.0")
        #expect(api.transports == [.http, .https])
        #expect(api.resources.map(\.methods) == [["GET"], ["POST"], ["GET", "PUT", "DELETE"]])
        #expect(api.resources[2].dispatcher == .uriTemplate(try URITemplate("/order/{orderId}")))
        #expect(api.resources[0].faultSequence == .key("fault"))
        #expect(api.resources[0].location?.line == 9)
        #expect(api.resources[0].location?.column == 5)

        // Only the first <handlers> counts, in document order, with its properties.
        #expect(api.handlers.count == 7)
        #expect(api.handlers[1].className == "org.wso2.carbon.apimgt.gateway.handlers.security.CORSRequestHandler")
        #expect(api.handlers[1][property: "allowedOrigins"] == "*")
        #expect(api.handlers[3][property: "policyKeyResource"] == "gov:/apimgt/applicationdata/res-tiers.xml")
        #expect(api.handlers[6].properties.isEmpty)

        guard case .inline(let mediators)? = api.resources[0].inSequence, mediators.count == 2,
            let filter = mediators[1].as(FilterMediator.self)
        else {
            Issue.record("expected property + filter in the first inSequence")
            return
        }
        let keyType = SynapseExpression(
            source: "$ctx:AM_KEY_TYPE",
            kind: .property(scope: .default, name: "AM_KEY_TYPE")
        )
        #expect(filter.condition == .sourceMatches(source: keyType, regex: "PRODUCTION"))
        #expect(filter.otherwise == [.sequence(key: "_sandbox_key_error_")])
        guard let send = filter.then.first?.as(SendMediator.self), case .http(let http)? = send.endpoint?.kind else {
            Issue.record("expected send to an http endpoint")
            return
        }
        #expect(send.endpoint?.name == "admin--PizzaShackAPI_APIproductionEndpoint_0")
        #expect(http.uriTemplate == "http://localhost:9000/pizzashack/api/")
        #expect(http.qos.timeout == EndpointTimeout(duration: 30000, responseAction: .fault))
        #expect(
            http.qos.suspendOnFailure
                == SuspendOnFailure(errorCodes: [-1], initialDuration: 0, progressionFactor: 1.0, maximumDuration: 0)
        )
        #expect(http.qos.markForSuspension == MarkForSuspension(errorCodes: [-1]))
        #expect(
            send.endpoint?.properties == [
                EndpointProperty(name: "ENDPOINT_ADDRESS", value: .literal("http://localhost:9000/pizzashack/api/"))
            ]
        )
    }

    @Test func blockedAPIShape() throws {
        let api = try #require(try parse("valid/admin--BlockedAPI_v2.0.xml").apis.first)
        #expect(api.resources.first?.methods == ["GET", "POST", "PUT", "DELETE", "PATCH"])
        #expect(api.resources.first?.dispatcher == .urlMapping(.prefix("")))
        #expect(api.transports == [.https])
        // When the first <handlers> is the only one, it is the chain (WSO2 reads only the first).
        #expect(api.handlers.map(\.className) == ["org.wso2.carbon.apimgt.gateway.handlers.security.CORSRequestHandler"])
        guard case .inline(let mediators)? = api.resources.first?.inSequence,
            let payload = mediators.first?.as(PayloadFactoryMediator.self)
        else {
            Issue.record("expected a payloadFactory first")
            return
        }
        #expect(payload.arguments.isEmpty)
        #expect(payload.format.contains("<am:code>700700</am:code>"))
    }

    @Test func everyMediatorFixtureCoversEveryRegisteredMediator() throws {
        let sequence = try #require(try parse("valid/every_mediator_sequence.xml").sequences.first)
        var names: Set<String> = []
        func collect(_ mediators: [MediatorNode]) {
            for mediator in mediators {
                names.insert(mediator.elementName)
                if let filter = mediator.as(FilterMediator.self) {
                    collect(filter.then)
                    collect(filter.otherwise)
                }
            }
        }
        collect(sequence.mediators)
        #expect(names == Set(MediatorCatalog.elementNames))
        #expect(sequence.onError == "fault")
        #expect(sequence.statistics && sequence.trace)
    }

    @Test func expressionsKeepOnlyTheNamespacesTheyUse() throws {
        let sequence = try #require(try parse("valid/every_mediator_sequence.xml").sequences.first)
        let property = sequence.mediators.compactMap { mediator -> PropertyMediator? in
            if let property = mediator.as(PropertyMediator.self), property.name == "fromXPath" { return property }
            return nil
        }.first
        guard case .expression(let expression)? = property?.value else {
            Issue.record("fromXPath should hold an expression")
            return
        }
        #expect(expression.namespaces == ["ns": "http://example.com/order"])
        #expect(expression.kind == .xpath("//ns:order/ns:id/text()"))
        #expect(property?.pattern == "(\\d+)-.*")
        #expect(property?.group == 1)
    }

    @Test func payloadFactoryFormatsAndArguments() throws {
        let sequence = try #require(try parse("valid/every_mediator_sequence.xml").sequences.first)
        let payloads = sequence.mediators.compactMap { mediator -> PayloadFactoryMediator? in
            mediator.as(PayloadFactoryMediator.self)
        }
        try #require(payloads.count == 3)
        #expect(payloads[0].mediaType == .xml)
        #expect(payloads[0].format.hasPrefix("<m:getQuote xmlns:m=\"http://services.samples\">"))
        // The unprefixed element inherits the Synapse namespace, so the standalone fragment declares it.
        #expect(
            payloads[0].format.contains(
                "<plain xmlns=\"http://ws.apache.org/ns/synapse\" attribute=\"v &amp; w\">$2</plain>"
            )
        )
        #expect(payloads[1].mediaType == .json)
        #expect(payloads[1].format == #"{"id": "$1", "name": "$2", "raw": "$3", "tag": "a < b"}"#)
        #expect(
            payloads[1].arguments[0].value
                == .expression(
                    SynapseExpression(source: "$.order.id", kind: .jsonPath("$.order.id"))
                )
        )
        #expect(payloads[1].arguments[2] == .init(value: .literal(#"{"k":1}"#), literal: true))
        #expect(payloads[2].formatKey == "conf:/payloads/quote.xml")
    }

    @Test func serializerOmitsDefaultsAndEscapes() {
        let sequence = SequenceDefinition(
            name: "s",
            mediators: [
                .property(PropertyMediator(name: "p", value: .literal("a\"b<c>&\n"))),
                .log(LogMediator()),
                .send(SendMediator()),
            ]
        )
        #expect(
            SynapseSerializer.xml(for: sequence) == """
                <sequence xmlns="http://ws.apache.org/ns/synapse" name="s">
                    <property name="p" value="a&quot;b&lt;c&gt;&amp;&#10;"/>
                    <log/>
                    <send/>
                </sequence>

                """
        )
    }

    @Test func mixedArtifactsSerializeAsDefinitions() throws {
        let artifacts = SynapseArtifacts(
            sequences: [SequenceDefinition(name: "one")],
            endpoints: [EndpointDefinition(name: "ep", kind: .address(AddressEndpoint(uri: "http://127.0.0.1:1/")))]
        )
        let xml = SynapseSerializer.xml(for: artifacts)
        #expect(xml.hasPrefix("<definitions xmlns=\"http://ws.apache.org/ns/synapse\">\n    <sequence name=\"one\"/>"))
        let parsed = try SynapseParser().parse(xml: xml, fileName: "mixed.xml")
        #expect(parsed.sequences.map(\.name) == ["one"])
        #expect(parsed.endpoints.map(\.kind) == artifacts.endpoints.map(\.kind))
        #expect(SynapseSerializer.xml(for: parsed) == xml)
    }
}
