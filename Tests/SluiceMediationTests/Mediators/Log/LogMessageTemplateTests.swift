import Logging
import SluiceMediation
import SluiceModel
import SluiceTesting
import Testing

/// The log mediator's `<message>` template of WSO2 Micro Integrator 4.4, with `${...}` Synapse Expressions.
@Suite struct LogMessageTemplateTests {
    private func logged(_ mediators: String, body: String? = nil, contentType: String = "application/json") throws -> [LogRecorder.Entry] {
        let recorder = LogRecorder()
        var context = ExpressionTests.sampleContext(body: body, contentType: contentType)
        context.logger = recorder.logger(level: .trace)
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context)
        // Expressions that give no value say so at debug level; only the log mediator's lines matter here.
        return recorder.entries.filter { $0.message != "Synapse expression gave no value" }
    }

    @Test func templateAloneLogsOnlyTheMessage() throws {
        let entries = try logged(
            #"<variable name="n" value="3" type="INTEGER"/><log category="WARN"><message>order ${payload.id} x${vars.n} by ${props.synapse.customer}: ${payload.missing}.</message></log>"#,
            body: #"{"id": "o-7"}"#
        )
        #expect(entries.map(\.message) == ["order o-7 x3 by alice: ."])
        #expect(entries.map(\.level) == [.warning])
    }

    @Test func templateOnXMLPayload() throws {
        let entries = try logged(
            #"<log><message>id=${xpath('//id')}\tqty=${payload.order.qty * 2}</message></log>"#,
            body: "<order><id>5</id><qty>4</qty></order>",
            contentType: "application/xml"
        )
        #expect(entries.map(\.message) == ["id=5\tqty=8"])
    }

    @Test func templateComesBeforeLevelPartsAndProperties() throws {
        let entries = try logged(
            #"<log level="custom" separator=" | "><message>hello ${headers["X-Trace"]}</message><property name="p" value="v"/></log>"#
        )
        #expect(entries.map(\.message) == ["hello t-1 | p = v"])
        let simple = try logged(#"<log level="simple"><message>m</message></log>"#)
        #expect(simple.first?.message.hasPrefix("m, To: /shop/1.0/orders/42") == true, "\(simple)")
    }

    @Test func logMessageIDAndFullPayloadAttributes() throws {
        let entries = try logged(#"<log logMessageID="true"><message>x</message></log>"#)
        #expect(entries.first?.message.wholeMatch(of: #/MessageID: urn:uuid:[0-9a-f-]{36}, x/#) != nil, "\(entries)")
        let full = try logged(#"<log logFullPayload="true"/>"#, body: #"{"a":1}"#)
        #expect(full.first?.message.contains("Envelope: ") == true)
    }

    @Test func brokenPlaceholderNamesTheColumn() {
        let problems = MediatorXML.problems(#"<log><message>a ${payload.x +} b</message></log>"#)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("at column 16 of the template") == true, "\(problems)")
    }
}
