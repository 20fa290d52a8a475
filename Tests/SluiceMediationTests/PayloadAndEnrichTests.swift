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
                    "<result><c>$1</c><copy>$2</copy><t>$3</t></result>",
                    [
                        .init(value: .expression(Build.expression("$ctx:comment"))),
                        .init(value: .expression(Build.expression("//item"))),
                        .init(value: .expression(Build.expression("//item")), literal: true),
                    ]
                )
            ],
            on: &context
        )
        #expect(
            context.body.string
                == "<result><c>&lt;not xml &amp; text</c><copy><item sku=\"1\">A &amp; B</item></copy><t>A &amp; B</t></result>"
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

@Suite struct EnrichMediatorTests {
    static func enrich(_ source: EnrichMediator.Source, _ target: EnrichMediator.Target) -> MediatorNode {
        .enrich(EnrichMediator(source: source, target: target))
    }

    @Test func bodyToPropertyAndBack() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#)
        try Build.run(
            [
                Self.enrich(.init(type: .body), .init(type: .property, property: "saved")),
                Self.enrich(.init(type: .inline, inlineContent: #"{"replaced":true}"#), .init(type: .body)),
            ],
            on: &context
        )
        #expect(context.body.string == #"{"replaced":true}"#)
        guard case .json(let saved)? = context[property: "saved"] else {
            Issue.record("saved body is not JSON")
            return
        }
        #expect(saved.description == #"{"a":1}"#)
        try Build.run([Self.enrich(.init(type: .property, property: "saved"), .init(type: .body))], on: &context)
        #expect(context.body.string == #"{"a":1}"#)
    }

    @Test func customJSONPathTargetReplacesAndAppends() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"order":{"id":1,"tags":["a"]}}"#
        )
        context[property: "user"] = "ann"
        try Build.run(
            [
                Self.enrich(
                    .init(type: .custom, xpath: Build.expression("$ctx:user")),
                    .init(type: .custom, xpath: Build.expression("json-eval($.order.owner)"))
                ),
                Self.enrich(
                    .init(type: .inline, inlineContent: "\"b\""),
                    .init(type: .custom, action: .child, xpath: Build.expression("json-eval($.order.tags)"))
                ),
                Self.enrich(
                    .init(type: .custom, xpath: Build.expression("json-eval($.order.tags[0])")),
                    .init(type: .custom, xpath: Build.expression("json-eval($.order.id)"))
                ),
            ],
            on: &context
        )
        #expect(context.body.string == #"{"order":{"id":"a","tags":["a","b"],"owner":"ann"}}"#)
    }

    @Test(arguments: [
        (
            EnrichMediator.TargetAction.replace, "//o:status",
            "<o:order xmlns:o=\"urn:o\"><o:id>1</o:id><state>paid</state></o:order>"
        ),
        (
            .child, "//o:order",
            "<o:order xmlns:o=\"urn:o\"><o:id>1</o:id><o:status>new</o:status><state>paid</state></o:order>"
        ),
        (
            .sibling, "//o:id",
            "<o:order xmlns:o=\"urn:o\"><o:id>1</o:id><state>paid</state><o:status>new</o:status></o:order>"
        ),
    ])
    func xpathTargetsEditXMLBodies(action: EnrichMediator.TargetAction, target: String, expected: String) throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/xml")],
            body: "<o:order xmlns:o=\"urn:o\"><o:id>1</o:id><o:status>new</o:status></o:order>"
        )
        try Build.run(
            [
                Self.enrich(
                    .init(type: .inline, inlineContent: "<state>paid</state>"),
                    .init(type: .custom, action: action, xpath: Build.expression(target, namespaces: ["o": "urn:o"]))
                )
            ],
            on: &context
        )
        #expect(context.body.string == expected)
        #expect(context.headers["Content-Type"] == ["application/xml"])
    }

    @Test func xpathTargetSetsAttributeTextAndKeepsTheSOAPEnvelope() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:a")],
            body: """
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>\
                <q symbol="IBM"/></soapenv:Body></soapenv:Envelope>
                """
        )
        context[property: "symbol"] = "MSFT"
        try Build.run(
            [
                Self.enrich(
                    .init(type: .property, property: "symbol"),
                    .init(type: .custom, xpath: Build.expression("$body/q/@symbol"))
                )
            ],
            on: &context
        )
        #expect(
            context.body.string
                == "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<q symbol=\"MSFT\"/></soapenv:Body></soapenv:Envelope>"
        )
    }

    @Test func xpathTargetThatSelectsNothingFaults() {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<a/>")
        #expect(throws: MediationFault.self) {
            try Build.run(
                [
                    Self.enrich(
                        .init(type: .inline, inlineContent: "x"),
                        .init(type: .custom, xpath: Build.expression("//missing"))
                    )
                ],
                on: &context
            )
        }
    }

    @Test func siblingOnAJSONPathIsRefusedAtDeployTime() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([
                Self.enrich(
                    .init(type: .body),
                    .init(type: .custom, action: .sibling, xpath: Build.expression("json-eval($.a)"))
                )
            ])
        }
    }
}

@Suite struct LogMediatorTests {
    @Test func logsStaticMessageWithMetadataAndMasksCredentials() throws {
        let recorder = LogRecorder()
        var context = Build.context(headers: [("Authorization", "Bearer secret-token"), ("X-Id", "7")])
        context.logger = recorder.logger(level: .trace)
        context[property: "order"] = "42"
        try Build.run(
            [
                .log(
                    LogMediator(
                        level: .headers,
                        category: .warn,
                        properties: [
                            NamedValue(name: "order", value: .expression(Build.expression("$ctx:order"))),
                            NamedValue(name: "auth", value: .expression(Build.expression("$trp:Authorization"))),
                        ]
                    )
                )
            ],
            on: &context
        )
        let entries = recorder.entries
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.level == .warning)
        #expect(entry.message == "mediation log")
        #expect(entry.metadata["sluice.mediator"] == "log")
        #expect(entry.metadata["sluice.log.order"] == "42")
        #expect(entry.metadata["sluice.log.header.X-Id"] == "7")
        #expect(!entry.rendered.contains("secret-token"))
    }

    @Test func fullLevelNeedsTheBody() throws {
        #expect(try Build.sequence([.log(LogMediator(level: .full))]).readsBody)
        #expect(try !Build.sequence([.log(LogMediator(level: .headers))]).readsBody)
    }

    @Test func belowThresholdLogsNothing() throws {
        let recorder = LogRecorder()
        var context = Build.context()
        context.logger = recorder.logger(level: .info)
        try Build.run([.log(LogMediator(category: .debug))], on: &context)
        #expect(recorder.entries.isEmpty)
    }
}
