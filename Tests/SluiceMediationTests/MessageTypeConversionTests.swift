import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct MessageTypeConversionTests {
    @Test(arguments: [
        (
            "<jsonObject><id>7</id><name>Ann</name><vip>true</vip><none/></jsonObject>",
            #"{"id":7,"name":"Ann","vip":true,"none":null}"#
        ),
        (
            "<order id=\"9\"><item>a</item><item>b</item><note>x</note></order>",
            #"{"order":{"@id":9,"item":["a","b"],"note":"x"}}"#
        ),
        ("<jsonArray><jsonElement>1</jsonElement><jsonElement>two</jsonElement></jsonArray>", #"[1,"two"]"#),
        (
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><r><v>1.5</v></r></soapenv:Body></soapenv:Envelope>",
            #"{"r":{"v":1.5}}"#
        ),
        ("<p:a xmlns:p=\"urn:p\">text<b>1</b></p:a>", #"{"a":{"b":1,"$":"text"}}"#),
    ])
    func xmlBodyBecomesJSON(xml: String, json: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: xml)
        context[property: "messageType", scope: .axis2] = "application/json"
        try context.applyMessageType()
        #expect(context.body.string == json)
        #expect(context.headers["Content-Type"] == ["application/json"])
    }

    @Test func settingMessageTypeNeedsTheBody() throws {
        let setsType = PropertyMediator(name: "messageType", value: .literal("application/json"), scope: .axis2)
        #expect(try Build.sequence([.property(setsType)]).readsBody)
        let removesType = PropertyMediator(name: "messageType", value: nil, scope: .axis2, action: .remove)
        #expect(try !Build.sequence([.property(removesType)]).readsBody)
    }

    @Test func jsonBodyBecomesXML() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"a":{"b":[1,2]}}"#
        )
        context[property: "messageType", scope: .axis2] = "application/xml"
        try context.applyMessageType()
        #expect(context.body.string == "<jsonObject><a><b>1</b><b>2</b></a></jsonObject>")
    }

    @Test func matchingOrStreamingBodiesAreLeftAlone() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#)
        context[property: "messageType", scope: .axis2] = "application/json"
        try context.applyMessageType()
        #expect(context.body.string == #"{"a":1}"#)
        context.body = .streaming
        context[property: "messageType", scope: .axis2] = "application/xml"
        try context.applyMessageType()
        #expect(context.body == .streaming)
    }

    @Test func xmlPayloadFactoryThenJSONMessageType() throws {
        var context = Build.context(method: "GET", headers: [("Accept", "application/json")])
        try Build.run(
            [
                .payloadFactory(
                    PayloadFactoryMediator(
                        mediaType: .xml,
                        format: "<jsonObject><ok>$1</ok></jsonObject>",
                        arguments: [.init(value: .literal("true"))]
                    )
                ),
                .property(PropertyMediator(name: "messageType", value: .literal("application/json"), scope: .axis2)),
            ],
            on: &context
        )
        try context.applyMessageType()
        #expect(context.body.string == #"{"ok":true}"#)
    }
}
