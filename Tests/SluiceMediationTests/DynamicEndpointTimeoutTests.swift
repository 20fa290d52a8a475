import NIOCore
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// WSO2's `<timeout><duration>{expression}</duration>`: the endpoint's timeout evaluated per message
/// (`EndpointDefinitionFactory` reads `{...}` as an XPath; `evaluateDynamicEndpointTimeout` falls back to the
/// global timeout for a value that is not a number, and never waits longer than it).
@Suite struct DynamicEndpointTimeoutTests {
    private static let dynamic = """
        <endpoint name="e"><address uri="http://127.0.0.1:9/x">
          <timeout><duration>{get-property('timeout')}</duration><responseAction>fault</responseAction></timeout>
        </address></endpoint>
        """

    @Test func anExpressionDurationRoundTripsAndIsEvaluatedPerMessage() throws {
        let definitions = try EndpointKindsTests.endpointsRoundTrip(Self.dynamic)
        guard case .address(let address) = definitions.first?.kind else {
            Issue.record("not an address endpoint")
            return
        }
        #expect(address.qos.timeout?.durationExpression?.source == "get-property('timeout')")
        #expect(address.qos.timeout?.duration == nil)
        let leaf = try EndpointKindsTests.leaf(Self.dynamic)
        let global = TimeAmount.seconds(120)
        var context = Build.context()
        context[property: "timeout"] = "2500"
        #expect(leaf.timeout(for: &context, default: global) == .milliseconds(2500))
        context[property: "timeout"] = " 40 "
        #expect(leaf.timeout(for: &context, default: global) == .milliseconds(40))
    }

    @Test func aValueThatIsNotANumberOrTooLongGivesTheGlobalTimeout() throws {
        let leaf = try EndpointKindsTests.leaf(Self.dynamic)
        let global = TimeAmount.seconds(120)
        var context = Build.context()
        #expect(leaf.timeout(for: &context, default: global) == global)
        context[property: "timeout"] = "soon"
        #expect(leaf.timeout(for: &context, default: global) == global)
        context[property: "timeout"] = "600000"
        #expect(leaf.timeout(for: &context, default: global) == global)
    }

    @Test func aFixedDurationStaysAndABrokenExpressionIsRefused() throws {
        let fixed = try EndpointKindsTests.leaf(
            #"<endpoint name="f"><address uri="http://127.0.0.1:9/x"><timeout><duration>300</duration></timeout></address></endpoint>"#
        )
        var context = Build.context()
        #expect(fixed.timeout(for: &context, default: .seconds(120)) == .milliseconds(300))
        let problems = EndpointKindsTests.problems(
            #"<endpoint name="b"><address uri="http://127.0.0.1:9/x"><timeout><duration>{get-property(}</duration></timeout></address></endpoint>"#
        )
        #expect(problems.contains { $0.contains("duration") }, "\(problems)")
    }

    /// A template endpoint whose `$timeout` parameter is `{expression}`: Synapse substitutes the text, then reads
    /// the endpoint, so the instance has a dynamic timeout.
    @Test func aTemplateParameterCanBeTheExpression() throws {
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
              <template name="T"><parameter name="timeout"/><parameter name="uri"/>
                <endpoint name="$name"><http method="get" uri-template="$uri">
                  <timeout><duration>$timeout</duration><responseAction>fault</responseAction></timeout>
                </http></endpoint>
              </template>
              <endpoint name="made" template="T" uri="http://127.0.0.1:9/slow">
                <parameter name="timeout" value="{get-property('timeout')}"/>
              </endpoint>
            </definitions>
            """
        let artifacts = try SynapseParser().parse(xml: xml, fileName: "t.xml")
        let program = try MediationCompiler().compileProgram(artifacts)
        let endpoint = try #require(program.endpoints["made"])
        guard case .leaf(let leaf) = endpoint.kind else {
            Issue.record("not a leaf")
            return
        }
        var context = Build.context()
        context[property: "timeout"] = "75"
        #expect(leaf.timeout(for: &context, default: .seconds(120)) == .milliseconds(75))
    }
}
