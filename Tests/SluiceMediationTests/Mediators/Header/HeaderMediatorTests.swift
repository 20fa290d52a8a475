import NIOCore
import SluiceMediation
import SluiceModel
import Testing

/// `<header>` against Synapse's HeaderMediator: transport headers, WS-Addressing properties and SOAP header blocks.
@Suite struct HeaderMediatorTests {
    static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    static let soap12 = "http://www.w3.org/2003/05/soap-envelope"

    static func soap11Context(_ envelope: String) -> MessageContext {
        Build.context(
            method: "POST",
            headers: [("Content-Type", "text/xml; charset=UTF-8"), ("SOAPAction", "\"urn:old\"")],
            body: envelope
        )
    }

    // MARK: - Reading and writing

    @Test func everyFormRoundTrips() throws {
        let forms = [
            #"<header name="X-Remove" action="remove" scope="transport"/>"#,
            #"<header name="X-Tenant" expression="$ctx:tenant" scope="transport"/>"#,
            #"<header name="To" value="http://backend/orders"/>"#,
            #"<header name="Action" action="remove"/>"#,
            #"<header xmlns:t="urn:trace" name="t:Trace" expression="get-property('SYSTEM_TIME')"/>"#,
            #"<header xmlns:t="urn:trace" name="t:Trace" action="remove"/>"#,
            #"<header xmlns:s="urn:sec" name="s:Token" type="OM" value="&lt;s:id&gt;7&lt;/s:id&gt;"/>"#,
            #"<header><w:Security xmlns:w="urn:wsse"><w:User a="1">ann</w:User></w:Security><plain>x</plain></header>"#,
        ]
        for form in forms {
            let header = try #require(try MediatorXML.roundTrip(form).first?.as(HeaderMediator.self), "\(form)")
            #expect(header.name != nil || header.embeddedXML != nil)
        }
        let qualified = try #require(
            try MediatorXML.roundTrip(#"<header xmlns:t="urn:trace" name="t:Trace" value="1"/>"#).first?
                .as(HeaderMediator.self)
        )
        #expect(qualified.namespace == "urn:trace")
        let embedded = try #require(
            try MediatorXML.roundTrip(#"<header><w:Security xmlns:w="urn:wsse">ann</w:Security></header>"#).first?
                .as(HeaderMediator.self)
        )
        #expect(embedded.embeddedXML == #"<w:Security xmlns:w="urn:wsse">ann</w:Security>"#)
    }

    /// The configurations Synapse's HeaderMediatorFactory refuses are refused while reading, so `sluice validate`
    /// and deployment say the same.
    @Test(arguments: [
        (#"<header name="X-Trace" value="on"/>"#, "invalid SOAP header 'X-Trace'"),
        (#"<header name="u:Trace" value="on"/>"#, "invalid namespace prefix 'u'"),
        (#"<header value="on"/>"#, "needs a 'name' attribute"),
        (#"<header scope="transport"><a/></header>"#, "needs a 'name' attribute"),
        (#"<header value="on"><a/></header>"#, "takes embedded XML, not 'value' or 'expression'"),
        (#"<header name="X-A" scope="transport"/>"#, "needs a 'value' or an 'expression'"),
        (#"<header name="X-A" value="1" expression="$ctx:a" scope="transport"/>"#, "has both 'value' and 'expression'"),
        (#"<header name="X-A" value="1" scope="axis2"/>"#, "scope"),
        (#"<header name="X-A" value="1" scope="transport"><a/></header>"#, "<a>"),
    ])
    func badConfigurationsAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func unqualifiedSOAPHeaderBuiltInCodeIsRefusedAtCompileTime() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([.header(HeaderMediator(name: "Security", value: .literal("x")))])
        }
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([.header(HeaderMediator(name: nil, value: nil))])
        }
    }

    // MARK: - Transport scope

    @Test func setsAndRemovesTransportHeaders() throws {
        var context = Build.context(headers: [("X-Remove", "1"), ("X-Replace", "old"), ("x-lower", "a")])
        context[property: "tenant"] = "acme"
        try Build.run(
            try MediatorXML.roundTrip(
                #"<header name="X-Remove" action="remove" scope="transport"/>"#
                    + #"<header name="X-Replace" value="new" scope="transport"/>"#
                    + #"<header name="X-Lower" value="b" scope="transport"/>"#
                    + #"<header name="X-Tenant" expression="$ctx:tenant" scope="transport"/>"#
                    + #"<header name="X-Missing" expression="$ctx:nothing" scope="transport"/>"#
            ),
            on: &context
        )
        #expect(context.headers["X-Remove"].isEmpty)
        #expect(context.headers["X-Replace"] == ["new"])
        // Synapse keeps transport headers in a case-insensitive map: one X-Lower, the new value.
        #expect(context.headers["X-Lower"] == ["b"])
        #expect(context.headers["X-Tenant"] == ["acme"])
        // An expression without a result sets the header to "" (Synapse warns and sets it empty).
        #expect(context.headers["X-Missing"] == [""])
    }

    // MARK: - WS-Addressing properties

    @Test func addressingHeadersAreMessageProperties() throws {
        var context = Build.context(path: "/api/1.0/orders", query: "a=1")
        #expect(context.lookupProperty(scope: .default, name: "To")?.stringValue == "/api/1.0/orders?a=1")
        try Build.run(
            try MediatorXML.roundTrip(
                #"<header name="To" value="http://backend:8080/orders"/><header name="From" value="urn:client"/>"#
                    + #"<header name="ReplyTo" value="urn:reply"/><header name="FaultTo" value="urn:fault"/>"#
                    + #"<header name="RelatesTo" value="urn:uuid:1"/><header name="MessageID" value="urn:uuid:2"/>"#
                    + #"<property name="seen" expression="get-property('To')"/>"#
            ),
            on: &context
        )
        #expect(context[property: "seen"]?.stringValue == "http://backend:8080/orders")
        for (name, value) in [
            ("From", "urn:client"), ("ReplyTo", "urn:reply"), ("FaultTo", "urn:fault"), ("RelatesTo", "urn:uuid:1"),
            ("MessageID", "urn:uuid:2"),
        ] {
            #expect(context.lookupProperty(scope: .default, name: name)?.stringValue == value)
        }
        // No HTTP header and no body change: these are properties of the message, not headers on the wire.
        #expect(context.headers["To"].isEmpty)
        #expect(context.body.string == nil || context.body.string == "")
        try Build.run(try MediatorXML.roundTrip(#"<header name="To" action="remove"/><header name="From" action="remove"/>"#), on: &context)
        #expect(context.lookupProperty(scope: .default, name: "To")?.stringValue == "/api/1.0/orders?a=1")
        #expect(context.lookupProperty(scope: .default, name: "From") == nil)
    }

    @Test func sendWithoutEndpointGoesToTheAddressingTo() throws {
        var context = Build.context()
        let step = try Build.run(
            try MediatorXML.roundTrip(#"<header name="To" value="http://backend:8080/orders"/><send/>"#),
            on: &context
        )
        guard case .send(let endpoint?, nil) = step, case .leaf(let leaf) = endpoint.kind,
            case .address(let uri) = leaf.target
        else {
            Issue.record("expected a send to the To address, got \(step)")
            return
        }
        #expect(uri == "http://backend:8080/orders")
        // A To that is not an HTTP address leaves <send/> answering the client, as before.
        var other = Build.context()
        guard case .send(nil, nil) = try Build.run(try MediatorXML.roundTrip(#"<header name="To" value="urn:x"/><send/>"#), on: &other)
        else {
            Issue.record("a non-HTTP To must not become an endpoint")
            return
        }
    }

    @Test func actionBecomesTheSOAPActionOfSOAPMessages() throws {
        var soap11 = Self.soap11Context(#"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body><q/></s:Body></s:Envelope>"#)
        try Build.run(try MediatorXML.roundTrip(#"<header name="Action" value="urn:getQuote"/>"#), on: &soap11)
        #expect(soap11.headers["SOAPAction"] == ["\"urn:getQuote\""])
        #expect(soap11.lookupProperty(scope: .default, name: "Action")?.stringValue == "urn:getQuote")

        var soap12 = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/soap+xml; charset=UTF-8; action=\"urn:old\"")],
            body: #"<s:Envelope xmlns:s="\#(Self.soap12)"><s:Body><q/></s:Body></s:Envelope>"#
        )
        try Build.run(try MediatorXML.roundTrip(#"<header name="Action" value="urn:getQuote"/>"#), on: &soap12)
        #expect(soap12.headers["Content-Type"] == ["application/soap+xml; charset=UTF-8; action=\"urn:getQuote\""])

        // Before any header, get-property('Action') is the request's SOAPAction.
        let untouched = Self.soap11Context("<x/>")
        #expect(untouched.lookupProperty(scope: .default, name: "Action")?.stringValue == "urn:old")
    }

    @Test func actionNamesTheOperationOfARESTMessageSentToASOAPEndpoint() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"q":1}"#)
        try Build.run(try MediatorXML.roundTrip(#"<header name="Action" value="urn:getQuote"/>"#), on: &context)
        #expect(context.headers["SOAPAction"].isEmpty)
        _ = try context.applyEndpointFormat(.soap11)
        #expect(context.headers["SOAPAction"] == ["\"urn:getQuote\""])
        #expect(context.body.string?.contains("<soapenv:Body><jsonObject><q>1</q></jsonObject></soapenv:Body>") == true)
    }

    // MARK: - SOAP header blocks

    @Test func qualifiedHeadersAreAddedBeforeTheBodyAndRemovedByNamespaceAndName() throws {
        var context = Self.soap11Context(
            #"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body><q>1</q></s:Body></s:Envelope>"#
        )
        context[property: "user"] = "ann & bob"
        try Build.run(
            try MediatorXML.roundTrip(
                #"<header name="t:Trace" value="1"/><header name="t:Trace" value="2"/>"#
                    + #"<header name="t:User" expression="$ctx:user"/><header name="o:Trace" value="3"/>"#,
                namespaces: #"xmlns:t="urn:trace" xmlns:o="urn:other""#
            ),
            on: &context
        )
        // Synapse adds a block per <header>; an existing block of the same name stays.
        #expect(
            context.body.string
                == #"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Header><t:Trace xmlns:t="urn:trace">1</t:Trace>"#
                + #"<t:Trace xmlns:t="urn:trace">2</t:Trace><t:User xmlns:t="urn:trace">ann &amp; bob</t:User>"#
                + #"<o:Trace xmlns:o="urn:other">3</o:Trace></s:Header><s:Body><q>1</q></s:Body></s:Envelope>"#
        )
        try Build.run(
            try MediatorXML.roundTrip(#"<header name="x:Trace" action="remove"/>"#, namespaces: #"xmlns:x="urn:trace""#),
            on: &context
        )
        // Every Trace block of urn:trace goes, whatever its prefix; urn:other's Trace and User stay.
        #expect(
            context.body.string
                == #"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Header><t:User xmlns:t="urn:trace">ann &amp; bob</t:User>"#
                + #"<o:Trace xmlns:o="urn:other">3</o:Trace></s:Header><s:Body><q>1</q></s:Body></s:Envelope>"#
        )
        #expect(context.headers["SOAPAction"] == ["\"urn:old\""])
    }

    @Test func xmlValuesAndEmbeddedBlocksGoIntoTheExistingHeader() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/soap+xml")],
            body: #"<e:Envelope xmlns:e="\#(Self.soap12)"><e:Header><h:Old xmlns:h="urn:h"/></e:Header><e:Body/></e:Envelope>"#
        )
        try Build.run(
            try MediatorXML.roundTrip(
                #"<header name="s:Token" type="OM" value="&lt;id&gt;7&lt;/id&gt;"/>"#
                    + #"<header><w:Security xmlns:w="urn:wsse"><w:User>ann</w:User></w:Security></header>"#,
                namespaces: #"xmlns:s="urn:sec""#
            ),
            on: &context
        )
        #expect(
            context.body.string
                == #"<e:Envelope xmlns:e="\#(Self.soap12)"><e:Header><h:Old xmlns:h="urn:h"/>"#
                + #"<s:Token xmlns:s="urn:sec"><id>7</id></s:Token>"#
                + #"<w:Security xmlns:w="urn:wsse"><w:User>ann</w:User></w:Security></e:Header><e:Body/></e:Envelope>"#
        )
    }

    @Test func restMessagesHaveNoSOAPHeadersToEdit() throws {
        for (contentType, body) in [("application/json", #"{"Envelope":1}"#), ("application/xml", "<Envelope><a/></Envelope>")] {
            var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
            try Build.run(
                try MediatorXML.roundTrip(
                    #"<header name="t:Trace" value="1"/><header name="t:Trace" action="remove"/>"#,
                    namespaces: #"xmlns:t="urn:trace""#
                ),
                on: &context
            )
            #expect(context.body.string == body)
        }
    }

    @Test func malformedEnvelopeOrXMLValueIsAMediationFault() throws {
        var broken = Self.soap11Context(#"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body>"#)
        #expect(throws: MediationFault.self) {
            try Build.run(
                try MediatorXML.roundTrip(#"<header name="t:A" value="1"/>"#, namespaces: #"xmlns:t="urn:t""#),
                on: &broken
            )
        }
        var context = Self.soap11Context(#"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body/></s:Envelope>"#)
        #expect(throws: MediationFault.self) {
            try Build.run(
                try MediatorXML.roundTrip(#"<header name="t:A" type="OM" value="&lt;open&gt;"/>"#, namespaces: #"xmlns:t="urn:t""#),
                on: &context
            )
        }
    }
}
