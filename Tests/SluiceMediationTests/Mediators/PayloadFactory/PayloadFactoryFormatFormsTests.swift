import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// The xml `<format>` forms WSO2's PayloadFactoryMediatorFactory reads: the first element (later ones are
/// ignored), or the markup a CDATA section holds; FreeMarker templates are refused by name.
@Suite struct PayloadFactoryFormatFormsTests {
    private func render(_ mediator: String) throws -> String {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<in><code>IBM</code></in>")
        try Build.run(try MediatorXML.roundTrip(mediator), on: &context)
        return context.body.string ?? ""
    }

    @Test func theFirstElementIsTheFormatAndLaterOnesAreIgnored() throws {
        let mediator = #"<payloadFactory><format><quote xmlns=""><symbol>$1</symbol></quote><extra/></format><args><arg expression="//code"/></args></payloadFactory>"#
        #expect(try render(mediator) == #"<quote xmlns=""><symbol>IBM</symbol></quote>"#)
        let warnings = try SynapseParser().parseWithWarnings(
            bytes: Array(#"<sequence xmlns="http://ws.apache.org/ns/synapse" name="t">\#(mediator)</sequence>"#.utf8),
            fileName: "t.xml"
        ).warnings.map(\.message)
        #expect(warnings == ["element '<extra>' after the first in an xml <format> is ignored, as Synapse ignores it"])
    }

    @Test func markupInCDATAIsTheFormat() throws {
        let mediator = #"<payloadFactory><format><![CDATA[<quote><symbol>$1</symbol></quote>]]></format><args><arg expression="//code"/></args></payloadFactory>"#
        #expect(try render(mediator) == "<quote><symbol>IBM</symbol></quote>")
        #expect(MediatorXML.problems(#"<payloadFactory><format><![CDATA[<quote>]]></format><args/></payloadFactory>"#).first?
            .hasPrefix("the text of an xml <format> is not well-formed XML") == true)
        #expect(MediatorXML.problems("<payloadFactory><format>just text</format><args/></payloadFactory>")
            == ["an xml <format> needs an element, or XML markup as its text"])
    }

    @Test func freeMarkerTemplatesAreRefusedByName() {
        let problems = MediatorXML.problems(
            #"<payloadFactory media-type="xml" template-type="freemarker"><format><![CDATA[<a>${args.arg1}</a>]]></format><args/></payloadFactory>"#
        )
        #expect(problems.first?.hasPrefix(#"payloadFactory template-type="freemarker" is not supported: FreeMarker is a Java template engine"#) == true)
        #expect(MediatorXML.problems(#"<payloadFactory template-type="default"><format><a/></format><args/></payloadFactory>"#).isEmpty)
    }
}
