import Logging
import NIOCore
import SluiceMediation
import SluiceModel
import Testing

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

}
