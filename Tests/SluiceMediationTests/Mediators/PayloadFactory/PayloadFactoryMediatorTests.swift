import Logging
import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct PayloadFactoryTests {
    static func payload(
        _ mediaType: PayloadFactoryMediator.MediaType,
        _ format: String,
        _ arguments: [PayloadFactoryMediator.Argument]
    ) -> MediatorNode {
        .payloadFactory(PayloadFactoryMediator(mediaType: mediaType, format: format, arguments: arguments))
    }

    @Test func jsonFormatInsertsValuesRawAndStringsEscaped() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"customer":{"name":"Ann \"A\"","vip":true},"items":[1,2]}"#
        )
        context[property: "note"] = "line1\nline2"
        try Build.run(
            [
                Self.payload(
                    .json,
                    #"{"who":"$1","customer":$2,"items":$3,"note":"$4","n":$5,"raw":"$6"}"#,
                    [
                        .init(value: .expression(Build.expression("json-eval($.customer.name)"))),
                        .init(value: .expression(Build.expression("json-eval($.customer)"))),
                        .init(value: .expression(Build.expression("json-eval($.items)"))),
                        .init(value: .expression(Build.expression("$ctx:note"))),
                        .init(value: .literal("[true]")),
                        .init(value: .literal("{\"x\":1}"), literal: true),
                    ]
                )
            ],
            on: &context
        )
        let body = try #require(context.body.string)
        #expect(
            body
                == #"{"who":"Ann \"A\"","customer":{"name":"Ann \"A\"","vip":true},"items":[1,2],"note":"line1\nline2","n":[true],"raw":"{\"x\":1}"}"#
        )
        #expect(try JSONParser.parse(body) != .null)
        #expect(context.headers["Content-Type"] == ["application/json"])
        #expect(context[property: "messageType", scope: .axis2] == "application/json")
    }

    /// Synapse's `SynapseXPath.stringValueOf` and `TemplateProcessor`: an XPath selecting one element with text of
    /// its own gives that text (WSO2's own test expects `<id>7</id>` from `<id>$1</id>` and `//id`); an element
    /// without text of its own, or several nodes, give markup; `literal` changes nothing in an XML format.
    @Test func xmlFormatEscapesTextAndInsertsNodes() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/xml")],
            body: "<order><item sku=\"1\">A &amp; B</item></order>"
        )
        context[property: "comment"] = "<not xml & text"
        try Build.run(
            [
                Self.payload(
                    .xml,
                    "<result><c>$1</c><copy>$2</copy><t>$3</t><o>$4</o></result>",
                    [
                        .init(value: .expression(Build.expression("$ctx:comment"))),
                        .init(value: .expression(Build.expression("//item"))),
                        .init(value: .expression(Build.expression("//item")), literal: true),
                        .init(value: .expression(Build.expression("//order"))),
                    ]
                )
            ],
            on: &context
        )
        #expect(
            context.body.string
                == "<result><c>&lt;not xml &amp; text</c><copy>A &amp; B</copy><t>A &amp; B</t>"
                + "<o><order><item sku=\"1\">A &amp; B</item></order></o></result>"
        )
        #expect(context.headers["Content-Type"] == ["application/xml"])
    }

    @Test func xmlPayloadForSOAPRequestIsWrappedInTheEnvelope() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/soap+xml")], body: "")
        try Build.run(
            [Self.payload(.xml, "<ping xmlns=\"urn:p\">$1</ping>", [.init(value: .literal("hi"))])],
            on: &context
        )
        #expect(
            context.body.string
                == "<soapenv:Envelope xmlns:soapenv=\"http://www.w3.org/2003/05/soap-envelope\"><soapenv:Body><ping xmlns=\"urn:p\">hi</ping></soapenv:Body></soapenv:Envelope>"
        )
    }

    @Test func unknownPlaceholdersStayLiteral() throws {
        var context = Build.context()
        try Build.run(
            [Self.payload(.json, #"{"price":"$5","a":"$1","cost":"$"}"#, [.init(value: .literal("x"))])],
            on: &context
        )
        #expect(context.body.string == #"{"price":"$5","a":"x","cost":"$"}"#)
    }

    @Test func payloadFactoryDoesNotNeedTheBodyUnlessAnArgumentDoes() throws {
        #expect(
            try !Build.sequence([Self.payload(.json, "{}", [.init(value: .expression(Build.expression("$ctx:a")))])])
                .readsBody
        )
        #expect(
            try Build.sequence([
                Self.payload(.json, "{}", [.init(value: .expression(Build.expression("json-eval($.a)")))])
            ]).readsBody
        )
    }
}

/// `media-type="text"`: Synapse's `TemplateProcessor` fills the format with each argument's text, unconverted,
/// and the message becomes `text/plain`.
@Suite struct PayloadFactoryTextTests {
    @Test func textFormatRoundTripsAndKeepsItsText() throws {
        let read = try MediatorXML.roundTrip(
            #"<payloadFactory media-type="text"><format>Received:$1, a &lt; b</format><args><arg value="x"/></args></payloadFactory>"#
        )
        #expect(
            read == [
                PayloadFactoryTests.payload(.text, "Received:$1, a < b", [.init(value: .literal("x"))])
            ]
        )
    }

    @Test func textFromAJSONMessageTakesValuesAsText() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"name":"Ann <A>","tags":["a","b"],"n":3}"#
        )
        try Build.run(
            [
                PayloadFactoryTests.payload(
                    .text,
                    "name=$1 tags=$2 n=$3 v=$4",
                    [
                        .init(value: .expression(Build.expression("json-eval($.name)"))),
                        .init(value: .expression(Build.expression("json-eval($.tags)"))),
                        .init(value: .expression(Build.expression("json-eval($.n)"))),
                        // A value= argument is XML-escaped unless it is XML, as Synapse escapes it.
                        .init(value: .literal("a&b")),
                    ]
                )
            ],
            on: &context
        )
        #expect(context.body.string == #"name=Ann <A> tags=["a","b"] n=3 v=a&amp;b"#)
        #expect(context.headers["Content-Type"] == ["text/plain"])
        #expect(context[property: "messageType", scope: .axis2] == "text/plain")
    }

    @Test func textFromAnXMLMessageTakesTheXPathText() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/xml")],
            body: "<order><id>7 &amp; 8</id></order>"
        )
        try Build.run(
            [PayloadFactoryTests.payload(.text, "order $1", [.init(value: .expression(Build.expression("//id")))])],
            on: &context
        )
        #expect(context.body.string == "order 7 & 8")
        #expect(context.headers["Content-Type"] == ["text/plain"])
    }
}
