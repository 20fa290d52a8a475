import SluiceMediation
import SluiceModel
import Testing

/// payloadFactory arguments as Synapse's `TemplateProcessor` renders them, and bodies Synapse cannot build.
@Suite struct PayloadFactoryArgumentTests {
    private func render(
        _ mediaType: PayloadFactoryMediator.MediaType,
        _ format: String,
        _ arguments: [PayloadFactoryMediator.Argument],
        contentType: String,
        body: String
    ) throws -> String {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        context[property: "order"] = #"{"a":"b"}"#
        try Build.run([PayloadFactoryTests.payload(mediaType, format, arguments)], on: &context)
        return context.body.string ?? ""
    }

    private func expression(_ text: String, literal: Bool = false) -> PayloadFactoryMediator.Argument {
        .init(value: .expression(Build.expression(text)), literal: literal)
    }

    /// WSO2's payloadFactory test: `<id>$1</id>` with `//id` over `<id>7</id>` gives `<id>7</id>`.
    @Test func anXPathElementWithTextGoesInAsText() throws {
        let xml = try render(.xml, "<p><id>$1</id></p>", [expression("//id")], contentType: "application/xml", body: "<r><id>7</id></r>")
        #expect(xml == "<p><id>7</id></p>")
        // Several elements, or one without text of its own, go in as markup.
        let many = try render(.xml, "<p>$1</p>", [expression("//id")], contentType: "application/xml", body: "<r><id>7</id><id>8</id></r>")
        #expect(many == "<p><id>7</id><id>8</id></p>")
    }

    /// JSON arguments go into a JSON format as JSON, into an XML format as Synapse's XML for them (no
    /// `<jsonObject>` wrapper); `literal="true"` inserts a JSON string instead.
    @Test func jsonArgumentsGoInAsJSON() throws {
        let body = #"{"order":{"id":7,"tags":["a"]}}"#
        let json = try render(.json, #"{"payload":$1,"text":"$2"}"#, [expression("json-eval($.order)"), expression("json-eval($.order)", literal: true)], contentType: "application/json", body: body)
        #expect(json == #"{"payload":{"id":7,"tags":["a"]},"text":"{\"id\":7,\"tags\":[\"a\"]}"}"#)
        let property = try render(.json, #"{"payload":$1}"#, [expression("$ctx:order")], contentType: "application/json", body: body)
        #expect(property == #"{"payload":{"a":"b"}}"#)
        let xml = try render(.xml, "<o>$1</o>", [expression("json-eval($.order)")], contentType: "application/json", body: body)
        #expect(xml == "<o><id>7</id><tags>a</tags></o>")
    }

    /// An XPath giving XML in a JSON format is converted to JSON (Synapse wraps it in `<jsonObject>` first).
    @Test func xmlArgumentsInAJSONFormatAreConverted() throws {
        let json = try render(.json, #"{"r":$1}"#, [expression("//r")], contentType: "application/xml", body: "<r><a>1</a><b>x</b></r>")
        #expect(json == #"{"r":{"r":{"a":1,"b":"x"}}}"#)
        let literal = try render(.json, #"{"r":"$1"}"#, [expression("//r", literal: true)], contentType: "application/xml", body: "<r><a>1</a></r>")
        #expect(literal == #"{"r":"<r><a>1</a></r>"}"#)
    }

    /// Synapse's message builders fail on a body that is not what `Content-Type` says (601000,
    /// `MESSAGE_PARSING_ERROR`), so the fault sequence answers.
    @Test func malformedBodiesAreParsingErrors() throws {
        for (contentType, body, expression) in [
            ("application/json", #"{"a": "#, "json-eval($.a)"),
            ("application/json; charset=UTF-8", "not json", "//a"),
            ("application/xml", "<a><b></a>", "//a"),
            ("text/xml", "plain words", "//a"),
        ] {
            var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
            #expect(throws: MediationFault.self) {
                try Build.run([.property(PropertyMediator(name: "x", value: .expression(Build.expression(expression))))], on: &context)
            }
            do {
                _ = try Build.run([.property(PropertyMediator(name: "x", value: .expression(Build.expression(expression))))], on: &context)
            } catch let fault as MediationFault {
                #expect(fault.code == 601000, "\(contentType)")
                #expect(fault.message == "Error while building Passthrough stream")
            }
        }
        // Text that is not JSON under a text content type is no error: Synapse's text builder reads anything.
        var text = Build.context(method: "POST", headers: [("Content-Type", "text/plain")], body: "{ not json")
        try Build.run([.property(PropertyMediator(name: "x", value: .expression(Build.expression("json-eval($.a)"))))], on: &text)
        #expect(text[property: "x"] == nil)
    }
}
