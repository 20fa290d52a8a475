import SluiceMediation
import SluiceModel
import Testing

/// WSO2 Micro Integrator 4.4's `${...}` placeholders in a payloadFactory format, beside the `$n` arguments.
@Suite struct PayloadFactoryInlineExpressionTests {
    static func run(_ mediators: String, body: String, contentType: String = "application/json") throws -> MessageContext {
        var context = ExpressionTests.sampleContext(body: body, contentType: contentType)
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context)
        return context
    }

    @Test func jsonFormatTakesValuesQuotedAndUnquoted() throws {
        let context = try Self.run(
            #"""
            <variable name="n" value="2" type="INTEGER"/>
            <payloadFactory media-type="json"><format>{"name": "${payload.name}", "upper": "${toUpper(payload.name)}",
             "total": ${payload.price * vars.n}, "tags": ${payload.tags}, "who": "$1", "q": "${payload.quote}"}</format>
            <args><arg expression="$ctx:customer"/></args></payloadFactory>
            """#,
            body: #"{"name": "ann", "price": 2.5, "tags": ["a", "b"], "quote": "say \"hi\""}"#
        )
        #expect(context.body.string == #"{"name": "ann", "upper": "ANN",\#n "total": 5.0, "tags": ["a","b"], "who": "alice", "q": "say \"hi\""}"#)
        #expect(context.headers.first(name: "Content-Type") == "application/json")
    }

    @Test func xmlFormatEscapesTextAndConvertsJSON() throws {
        let context = try Self.run(
            #"<payloadFactory media-type="xml"><format><r xmlns=""><n>${payload.name}</n><o>${payload.order}</o><x>${xpath('//nothing')}</x></r></format><args/></payloadFactory>"#,
            body: #"{"name": "a<b", "order": {"id": 7}}"#
        )
        #expect(context.body.string == #"<r xmlns=""><n>a&lt;b</n><o><id>7</id></o><x></x></r>"#)
    }

    @Test func brokenPlaceholderFailsTheDeployment() throws {
        let read = try MediatorXML.roundTrip(#"<payloadFactory media-type="json"><format>{"a": ${payload.}}</format><args/></payloadFactory>"#)
        #expect(throws: MediationCompileError.self) { try Build.sequence(read) }
    }
}
