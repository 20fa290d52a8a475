import SluiceMediation
import SluiceModel
import Testing

/// `<format key=>`: the format is a local entry of that key (a `conf:`/`gov:` registry path names the entry of
/// that key), read when the deployment compiles; XML entries lose their indentation as Synapse's registry formats
/// do; a key nothing defines is a warning and faults when a message reaches it; a per-message key is refused.
@Suite struct PayloadFactoryFormatKeyTests {
    @Test func anXMLLocalEntryIsTheFormatWithoutItsIndentation() throws {
        let program = try Build.program(localEntries: [
            "conf:/payloads/quote.xml": """
                <m:getQuote xmlns:m="http://services.samples">
                    <m:request>
                        <m:symbol>$1</m:symbol>  <m:note> keep  this </m:note>
                    </m:request>
                </m:getQuote>
                """
        ])
        let mediators = try MediatorXML.roundTrip(
            #"<payloadFactory media-type="xml"><format key="conf:/payloads/quote.xml"/>"#
                + #"<args><arg expression="//symbol"/></args></payloadFactory>"#
        )
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<q><symbol>IBM</symbol></q>")
        try Build.run(mediators, on: &context, program: program)
        #expect(
            context.body.string
                == #"<m:getQuote xmlns:m="http://services.samples"><m:request><m:symbol>IBM</m:symbol><m:note> keep  this </m:note></m:request></m:getQuote>"#
        )
    }

    @Test func aTextLocalEntryIsAJSONFormat() throws {
        let program = try Build.program(localEntries: ["greeting": #"{"hello":"$1"}"#])
        let mediators = try MediatorXML.roundTrip(
            #"<payloadFactory media-type="json"><format key="greeting"/><args><arg value="ann"/></args></payloadFactory>"#
        )
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: "{}")
        try Build.run(mediators, on: &context, program: program)
        #expect(context.body.string == #"{"hello":"ann"}"#)
        #expect(context.headers.first(name: "Content-Type") == "application/json")
    }

    @Test func aKeyNothingDefinesIsAWarningAndFaultsWhenReached() throws {
        let mediators = try MediatorXML.roundTrip(#"<payloadFactory media-type="json"><format key="conf:/missing.json"/></payloadFactory>"#)
        let definition = SequenceDefinition(name: "uses", mediators: mediators)
        let program = try MediationCompiler().compileProgram(sequences: [definition], endpoints: [])
        #expect(program.unresolvedReferences.map(\.kind) == [.unknownLocalEntry("conf:/missing.json")])
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: "{}")
        #expect(throws: (any Error).self) { try Build.run(mediators, on: &context, program: program) }
    }

    @Test func aKeyChosenPerMessageIsRefused() {
        let problem: String
        do {
            let mediators = try MediatorXML.roundTrip(#"<payloadFactory media-type="json"><format key="{$ctx:which}"/></payloadFactory>"#)
            _ = try Build.sequence(mediators)
            problem = ""
        } catch {
            problem = "\(error)"
        }
        #expect(problem.contains("payloadFactory format key '{$ctx:which}' chosen per message"), "\(problem)")
    }
}
