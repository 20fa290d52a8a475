import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Synapse and WSO2 mediators out of Sluice's reach are refused by name with the reason, and values WSO2's
/// factories refuse are refused with WSO2's message.
@Suite struct RefusedByDesignTests {
    @Test(arguments: [
        (#"<rule xmlns="http://wso2.org/carbon/rules"><source>soapBody</source></rule>"#, "rule", "Drools rule engine"),
        (#"<eventPublisher eventSourceName="stocks"/>"#, "eventPublisher", "WS-Eventing event source"),
        (#"<RMSequence single="true" version="1.0"/>"#, "RMSequence", "WS-ReliableMessaging"),
        (#"<dataServiceCall serviceName="orders"><operations type="single"/></dataServiceCall>"#, "dataServiceCall", "data services"),
    ])
    func outOfReachMediatorsAreRefusedByName(xml: String, name: String, reason: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("the <\(name)> mediator is not supported: ") == true, "\(problems)")
        #expect(problems.first?.contains(reason) == true, "\(problems)")
    }

    @Test func aRuleElementOutsideTheRulesNamespaceStaysUnknown() {
        #expect(MediatorXML.problems(#"<rule xmlns="urn:other"/>"#) == ["unknown mediator 'rule'"])
    }

    @Test func libraryImportsAreRefusedNamingWhatToDeployInstead() {
        let xml = #"<definitions xmlns="http://ws.apache.org/ns/synapse"><import name="EipLibrary" package="synapse.lang.eip"/></definitions>"#
        do {
            _ = try SynapseParser().parse(xml: xml, fileName: "eip.xml")
            Issue.record("an import must be refused")
        } catch {
            let message = error.diagnostics.first?.message ?? ""
            #expect(message.hasPrefix("<import> artifacts are not supported: Synapse library imports"), "\(message)")
            #expect(message.contains("'{package}.{name}'"), "\(message)")
        }
    }

    static func endpointProblems(_ action: String) -> [String] {
        let xml = """
            <endpoint xmlns="http://ws.apache.org/ns/synapse" name="e"><address uri="http://127.0.0.1:9/">\
            <timeout><duration>100</duration><responseAction>\(action)</responseAction></timeout></address></endpoint>
            """
        do {
            _ = try SynapseParser().parse(xml: xml, fileName: "e.xml")
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test func responseActionTakesWSO2sTwoValuesInAnyCase() {
        #expect(Self.endpointProblems("discard").isEmpty)
        #expect(Self.endpointProblems(" Fault ").isEmpty)
        #expect(Self.endpointProblems("never") == ["Invalid timeout action, action : never is not supported"])
        #expect(Self.endpointProblems("") == ["Invalid timeout action, action :  is not supported"])
    }
}
