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
            #"{"order":{"@id":"9","item":["a","b"],"note":"x"}}"#
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

    /// WSO2 4.x writes `<?xml-multiple?>` only with `synapse.json.to.xml.process.instruction.enable=true`.
    @Test(arguments: [
        (false, "<jsonObject><a><b>1</b><b>2</b></a></jsonObject>"),
        (true, "<jsonObject><a><?xml-multiple b?><b>1</b><b>2</b></a></jsonObject>"),
    ])
    func jsonBodyBecomesXML(marks: Bool, xml: String) throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"a":{"b":[1,2]}}"#
        )
        context.writesXMLMultipleMarks = marks
        context[property: "messageType", scope: .axis2] = "application/xml"
        try context.applyMessageType()
        #expect(context.body.string == xml)
    }

    /// Without the marks (WSO2 4.x's default), a JSON→XML→JSON trip loses what only the marks carried, as in
    /// WSO2: a one-element array comes back as its element, an empty array vanishes, nested arrays keep their
    /// `jsonArray` wrappers.
    @Test(arguments: [
        (#"{"a":[1],"b":[],"e":"x"}"#, #"{"a":1,"e":"x"}"#),
        (#"{"c":[{"d":1},{"d":2}]}"#, #"{"c":[{"d":1},{"d":2}]}"#),
        (#"{"g":[[1,2],[3]]}"#, #"{"g":[[1,2],[3]]}"#),
    ])
    func withoutMarksOneElementArraysComeBackAsTheirElement(json: String, back: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: json)
        context[property: "messageType", scope: .axis2] = "application/xml"
        try context.applyMessageType()
        #expect(context.body.string?.contains("xml-multiple") == false)
        context[property: "messageType", scope: .axis2] = "application/json"
        try context.applyMessageType()
        #expect(context.body.string == back)
    }

    /// With `synapse.json.to.xml.process.instruction.enable=true` Synapse's JSON builder marks arrays with
    /// `<?xml-multiple?>`, so one-element and empty arrays survive a trip through XML; names an XML element
    /// cannot start with are prefixed and restored.
    @Test(arguments: [
        #"{"a":[1],"b":[],"c":[{"d":null}],"e":"x"}"#,
        ##"{"1st":"a","$ref":"#/x","ok":true}"##,
        #"[{"id":1}]"#,
        #"{"n":-2.5,"t":false,"s":"text"}"#,
    ])
    func jsonSurvivesARoundTripThroughXML(json: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: json)
        context.writesXMLMultipleMarks = true
        context[property: "messageType", scope: .axis2] = "application/xml"
        try context.applyMessageType()
        let xml = try #require(context.body.string)
        #expect(xml.hasPrefix("<json"))
        context[property: "messageType", scope: .axis2] = "application/json"
        try context.applyMessageType()
        #expect(context.body.string == json)
    }

    /// The Content-Type follows messageType exactly, and each family writes as Synapse's formatter does.
    @Test func contentTypeFollowsTheMessageTypeExactly() throws {
        var xml = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<a>1</a>")
        xml[property: "messageType", scope: .axis2] = "text/xml"
        try xml.applyMessageType()
        #expect(xml.headers["Content-Type"] == ["text/xml"])
        #expect(xml.body.string == "<a>1</a>")

        var json = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#)
        json[property: "messageType", scope: .axis2] = "application/soap+xml"
        try json.applyMessageType()
        #expect(json.headers["Content-Type"] == ["application/soap+xml"])
        #expect(json.body.string == "<jsonObject><a>1</a></jsonObject>")

        let envelope = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r>1</r></s:Body></s:Envelope>"#
        var soap = Build.context(method: "POST", headers: [("Content-Type", "text/xml"), ("SOAPAction", "")], body: envelope)
        soap[property: "messageType", scope: .axis2] = "application/xml"
        try soap.applyMessageType()
        #expect(soap.body.string == "<r>1</r>")

        var text = Build.context(
            method: "POST", headers: [("Content-Type", "application/xml")],
            body: #"<ax:text xmlns:ax="http://ws.apache.org/commons/ns/payload">a &lt; b</ax:text>"#
        )
        text[property: "messageType", scope: .axis2] = "text/plain"
        try text.applyMessageType()
        #expect(text.body.string == "a < b")
        #expect(text.headers["Content-Type"] == ["text/plain"])
    }

    /// Synapse's formatters name axis2 `ContentType` in the header when it is set; `messageType` still decides
    /// the conversion.
    @Test func contentTypePropertyNamesTheHeader() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<a>1</a>")
        context[property: "ContentType", scope: .axis2] = "application/vnd.acme+json"
        context[property: "messageType", scope: .axis2] = "application/json"
        try context.applyMessageType()
        #expect(context.headers["Content-Type"] == ["application/vnd.acme+json"])
        #expect(context.body.string == #"{"a":1}"#)
    }

    /// The message type set for the request does not carry over to the backend's response.
    @Test func theResponseHasItsOwnMessageType() {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: "{}")
        context[property: "messageType", scope: .axis2] = "application/xml"
        context.receiveResponse(status: 200, headers: ["Content-Type": "application/json"], body: .text(#"{"a":1}"#))
        #expect(context[property: "messageType", scope: .axis2] == nil)
    }

    @Test func matchingOrStreamingBodiesKeepTheirBytes() throws {
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
