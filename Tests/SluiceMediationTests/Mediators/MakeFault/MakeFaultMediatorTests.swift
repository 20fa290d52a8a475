import SluiceMediation
import SluiceModel
import Testing

@Suite struct MakeFaultMediatorTests {
    static let soap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/"
    static let soap12Namespace = "http://www.w3.org/2003/05/soap-envelope"

    @Test func everyFormRoundTrips() throws {
        let forms = [
            #"<makefault version="soap11" response="true"><code xmlns:s11="\#(Self.soap11Namespace)" value="s11:Client"/><reason value="bad"/><role>http://r</role><detail>text</detail></makefault>"#,
            #"<makefault version="soap12"><code expression="$ctx:CODE"/><reason expression="$ctx:ERROR_MESSAGE"/><node>http://n</node><detail expression="//x"/></makefault>"#,
            #"<makefault version="pox" response="false"><reason value="r"/><detail><e:a xmlns:e="urn:e">1</e:a><b/></detail></makefault>"#,
            #"<makefault><code xmlns:tns="urn:t" value="tns:Custom"/><reason value="r"/></makefault>"#,
        ]
        for form in forms {
            let mediator = try #require(try MediatorXML.roundTrip(form).first?.as(MakeFaultMediator.self))
            #expect(mediator.code != nil || mediator.version == .pox)
        }
    }

    @Test func soap11FaultFromAJSONRequest() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#)
        context[property: "ERROR_MESSAGE"] = "backend down"
        try Build.run(
            try MediatorXML.roundTrip(
                #"<makefault version="soap11" response="true"><code xmlns:s="\#(Self.soap11Namespace)" value="s:Server"/>"#
                    + #"<reason expression="$ctx:ERROR_MESSAGE"/><role>urn:gw</role><detail>a &lt; b</detail></makefault>"#
            ),
            on: &context
        )
        #expect(context.statusCode == 500)
        #expect(context.isResponse)
        #expect(context.headers.first(name: "Content-Type") == "text/xml; charset=UTF-8")
        #expect(
            context.body.text
                == #"<soapenv:Envelope xmlns:soapenv="\#(Self.soap11Namespace)"><soapenv:Body><soapenv:Fault>"#
                + "<faultcode>soapenv:Server</faultcode><faultstring>backend down</faultstring>"
                + "<faultactor>urn:gw</faultactor><detail>a &lt; b</detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
        )
    }

    @Test func soap12FaultKeepsHeaderBlocksAndCustomCodeNamespace() throws {
        let request = #"<e:Envelope xmlns:e="\#(Self.soap12Namespace)"><e:Header><h:Trace xmlns:h="urn:h">7</h:Trace></e:Header><e:Body><q/></e:Body></e:Envelope>"#
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/soap+xml; charset=UTF-8")],
            body: request
        )
        try Build.run(
            try MediatorXML.roundTrip(
                #"<makefault><code xmlns:t="urn:t" value="t:Quota"/><reason value="over"/><node>urn:n</node>"#
                    + #"<detail expression="//h:Trace" xmlns:h="urn:h"/></makefault>"#
            ),
            on: &context
        )
        let text = try #require(context.body.text)
        #expect(text.hasPrefix(#"<soapenv:Envelope xmlns:soapenv="\#(Self.soap12Namespace)"><soapenv:Header><h:Trace"#))
        #expect(text.contains(#"<soapenv:Value xmlns:t="urn:t">t:Quota</soapenv:Value>"#))
        #expect(text.contains(#"<soapenv:Reason><soapenv:Text xml:lang="en">over</soapenv:Text></soapenv:Reason>"#))
        #expect(text.contains("<soapenv:Node>urn:n</soapenv:Node>"))
        #expect(text.contains(#"<soapenv:Detail><h:Trace xmlns:h="urn:h">7</h:Trace></soapenv:Detail>"#))
        #expect(context.headers.first(name: "Content-Type") == "application/soap+xml; charset=UTF-8")
        #expect(!context.isResponse)
    }

    @Test(arguments: [
        ("application/json", #"{"a":1}"#, #"{"Exception":"the detail"}"#),
        ("application/xml", "<a/>", "<Exception>the detail</Exception>"),
    ])
    func poxFaultOfARESTMessage(contentType: String, body: String, expected: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        try Build.run(
            try MediatorXML.roundTrip(#"<makefault><code xmlns:s="urn:s" value="s:X"/><reason value="the reason"/><detail>the detail</detail></makefault>"#),
            on: &context
        )
        #expect(context.body.text == expected)
        #expect(context.statusCode == 500)
    }

    @Test func poxFaultFallsBackToTheReason() throws {
        var context = Build.context()
        try Build.run(try MediatorXML.roundTrip(#"<makefault version="pox"><reason value="r &amp; s"/></makefault>"#), on: &context)
        #expect(context.body.text == "<Exception>r &amp; s</Exception>")
    }

    @Test func problemsAreReported() {
        #expect(MediatorXML.problems(#"<makefault><reason value="r"/></makefault>"#) == [
            "<makefault> needs a <code> unless version=\"pox\""
        ])
        #expect(MediatorXML.problems(#"<makefault><code value="Client"/><reason value="r"/></makefault>"#) == [
            "the fault code 'Client' must be a QName written prefix:name"
        ])
        #expect(MediatorXML.problems(#"<makefault><code value="x:Client"/><reason value="r"/></makefault>"#) == [
            "the prefix 'x' of fault code 'x:Client' is not declared"
        ])
        #expect(MediatorXML.problems(#"<makefault version="soap13"><code xmlns:s="urn:s" value="s:C"/><reason value="r"/></makefault>"#).count == 1)
    }
}
