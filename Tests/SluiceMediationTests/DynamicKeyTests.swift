import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Synapse's dynamic keys: `<sequence key="{expression}"/>` and `<endpoint key-expression="..."/>` name a deployed
/// sequence or endpoint per message (Synapse's SequenceMediator and ResolvingEndpoint); a name nothing deployed
/// has is a mediation fault, so the fault sequence answers.
@Suite struct DynamicKeyTests {
    static let definitions = """
        <definitions xmlns="http://ws.apache.org/ns/synapse">
          <sequence name="gold"><property name="picked" value="gold"/></sequence>
          <sequence name="silver"><property name="picked" value="silver"/></sequence>
          <endpoint name="east"><address uri="http://east.example/svc"/></endpoint>
          <endpoint name="west"><address uri="http://west.example/svc"/></endpoint>
          <localEntry key="conf:/routing/default-tier">silver</localEntry>
          <localEntry key="gov:/sequences/audit.xml"><sequence><property name="audited" value="yes"/></sequence></localEntry>
        </definitions>
        """

    private func program() throws -> MediationProgram {
        try MediationCompiler().compileProgram(try SynapseParser().parse(xml: Self.definitions, fileName: "defs.xml"))
    }

    private func mediators(_ xml: String) throws -> [MediatorNode] {
        try MediatorXML.roundTrip(xml)
    }

    @Test(arguments: [
        (#"<sequence key="{get-property('tier')}"/>"#, "gold"),
        (#"<sequence key="{$ctx:tier}"/>"#, "gold"),
        (#"<sequence key="{get-property('registry', 'conf:/routing/default-tier')}"/>"#, "silver"),
    ])
    func aDynamicSequenceKeyPicksTheSequencePerMessage(xml: String, picked: String) throws {
        let program = try program()
        var context = Build.context()
        context[property: "tier"] = "gold"
        try Build.run(try mediators(xml), on: &context, program: program)
        #expect(context[property: "picked"] == .string(picked))
    }

    @Test func anUnknownDynamicSequenceFaults() throws {
        let program = try program()
        var context = Build.context()
        context[property: "tier"] = "bronze"
        #expect {
            try Build.run(try mediators(#"<sequence key="{$ctx:tier}"/>"#), on: &context, program: program)
        } throws: { error in
            (error as? MediationFault)?.message == "Sequence named bronze cannot be found"
        }
    }

    @Test func aKeyExpressionPicksTheEndpointForSendAndCall() throws {
        let program = try program()
        for xml in [
            #"<send><endpoint key-expression="get-property('region')"/></send>"#,
            #"<call><endpoint key-expression="$ctx:region"/></call>"#,
        ] {
            var context = Build.context()
            context[property: "region"] = "west"
            let step = try Build.run(try mediators(xml), on: &context, program: program)
            switch step {
            case .send(let endpoint?, _), .call(let endpoint): #expect(endpoint.name == "west")
            default: Issue.record("expected send or call, got \(step.name)")
            }
        }
    }

    @Test func anUnknownOrEmptyEndpointKeyFaults() throws {
        let program = try program()
        let send = try mediators(#"<send><endpoint key-expression="$ctx:region"/></send>"#)
        var unknown = Build.context()
        unknown[property: "region"] = "north"
        #expect {
            try Build.run(send, on: &unknown, program: program)
        } throws: { error in
            (error as? MediationFault)?.detail?.contains("endpoint 'north'") == true
        }
        var unset = Build.context()
        #expect(throws: MediationFault.self) { try Build.run(send, on: &unset, program: program) }
    }

    /// A static key nothing deployed defines deploys (a warning) and faults when reached, as in Synapse; a broken
    /// expression is refused.
    @Test func staticKeysResolvePerMessageAndBrokenExpressionsAreRefused() throws {
        let program = try program()
        var context = Build.context()
        #expect(throws: MediationFault.sequenceNotFound("bronze")) {
            try Build.run(try mediators(#"<sequence key="bronze"/>"#), on: &context, program: program)
        }
        #expect(!MediatorXML.problems(#"<sequence key="{get-property('a'}"/>"#).isEmpty)
        #expect(!MediatorXML.problems(#"<send><endpoint key-expression="concat("/></send>"#).isEmpty)
    }

    /// Synapse's XPath variables for the operation scope and Java system properties (none here: always empty).
    @Test func operationAndSystemVariables() throws {
        var context = Build.context()
        try Build.run(
            try mediators(
                """
                <property name="o" value="kept" scope="operation"/>
                <property name="fromOperation" expression="$operation:o"/>
                <property name="fromSystem" expression="concat('[', $sys:user.home, ']')"/>
                """
            ),
            on: &context
        )
        #expect(context[property: "fromOperation"] == "kept")
        #expect(context[property: "fromSystem"] == "[]")
    }

    /// Sluice has no registry: a `conf:`/`gov:` key (as WSO2's embedded registry paths) names the local entry of
    /// that key, static or dynamic; the warning for a missing one says what to deploy.
    @Test func registryKeysNameLocalEntries() throws {
        let program = try program()
        var context = Build.context()
        try Build.run(try mediators(#"<sequence key="gov:/sequences/audit.xml"/>"#), on: &context, program: program)
        #expect(context[property: "audited"] == "yes")
        let missing = try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="s"><sequence key="conf:/sequences/missing.xml"/></sequence>"#,
                fileName: "s.xml"
            )
        )
        let warning = try #require(missing.unresolvedReferences.first)
        #expect(warning.description.contains(#"deploy <localEntry key="conf:/sequences/missing.xml"> holding the sequence"#))
    }
}
