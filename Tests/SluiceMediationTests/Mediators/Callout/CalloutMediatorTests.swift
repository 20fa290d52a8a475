import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@Suite struct CalloutMediatorTests {
    static let soapRequest = """
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>\
        <q:quote xmlns:q="urn:stock"><q:symbol>ACME</q:symbol><q:price>?</q:price></q:quote>\
        </s:Body></s:Envelope>
        """

    static let quoteCallout = """
        <callout xmlns:q="urn:stock" serviceURL="http://127.0.0.1:9/quotes" action="urn:getQuote">\
        <source xpath="//q:symbol"/><target xpath="//q:price"/></callout>
        """

    static func soapContext() -> MessageContext {
        Build.context(
            method: "POST",
            headers: [("Content-Type", "text/xml; charset=UTF-8"), ("SOAPAction", "\"urn:order\""), ("X-Client", "c1")],
            body: soapRequest
        )
    }

    @Test func roundTripsEveryForm() throws {
        let xpath = try #require(try MediatorXML.roundTrip(Self.quoteCallout).first?.as(CalloutMediator.self))
        #expect(xpath.destination == .serviceURL("http://127.0.0.1:9/quotes"))
        #expect(xpath.action == "urn:getQuote")
        let keyed = try #require(
            try MediatorXML.roundTrip(
                #"<callout endpointKey="quotes" initAxis2ClientOptions="false"><configuration axis2xml="a.xml"/>"#
                    + #"<source key="request"/><target key="answer"/></callout>"#
            ).first?.as(CalloutMediator.self)
        )
        #expect(keyed.destination == .endpointKey("quotes"))
        #expect(keyed.source == .key("request"))
        #expect(keyed.target == .key("answer"))
        #expect(keyed.initAxis2ClientOptions == false)
        let inline = try #require(
            try MediatorXML.roundTrip(
                #"<callout><endpoint><address uri="http://127.0.0.1:9/x"/></endpoint><source type="envelope"/></callout>"#
            ).first?.as(CalloutMediator.self)
        )
        #expect(inline.source == .envelope)
        #expect(inline.target == nil)
    }

    @Test func badConfigurationsAreRefusedWithTheReason() {
        #expect(
            MediatorXML.problems(#"<callout serviceURL="http://x/"><enableSec policy="p"/></callout>"#) == [
                "<callout> with <enableSec> is not supported: Sluice does not apply WS-Security policies"
            ]
        )
        #expect(
            MediatorXML.problems(#"<callout serviceURL="http://x/"><source/></callout>"#) == [
                #"the <source> of <callout> needs 'xpath', 'key' or type="envelope""#
            ]
        )
    }

    @Test func withoutADestinationTheCalloutGoesToTheMessagesTo() throws {
        let callout = try #require(try MediatorXML.roundTrip("<callout><source type=\"envelope\"/></callout>").first?.as(CalloutMediator.self))
        #expect(callout.destination == .messageTo)
        var context = Self.soapContext()
        try Build.run(try MediatorXML.roundTrip(#"<header name="To" value="http://127.0.0.1:9/quotes"/>"#), on: &context)
        var execution = SequenceExecution(sequence: try Build.sequence([.callout(callout)]), program: .empty)
        guard case .call(let endpoint) = try execution.run(&context), case .leaf(let leaf) = endpoint.kind else {
            Issue.record("callout should call the message's To")
            return
        }
        #expect(leaf.url(for: context) == "http://127.0.0.1:9/quotes")
    }

    @Test func sendsTheSourceElementInTheMessagesEnvelopeAndPutsTheAnswerAtTheTarget() throws {
        var context = Self.soapContext()
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(Self.quoteCallout)), program: .empty)
        guard case .call = try execution.run(&context) else {
            Issue.record("callout should call the service")
            return
        }
        let sent = try #require(context.body.string)
        #expect(sent.contains(#"<soapenv:Body><q:symbol xmlns:q="urn:stock">ACME</q:symbol></soapenv:Body>"#))
        #expect(!sent.contains("price"))
        #expect(context.headers.first(name: "SOAPAction") == "\"urn:getQuote\"")

        var answerHeaders = HTTPHeaders()
        answerHeaders.add(name: "Content-Type", value: "text/xml")
        answerHeaders.add(name: "X-Service", value: "quotes")
        context.receiveResponse(
            status: 200,
            headers: answerHeaders,
            body: .text(
                #"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>"#
                    + #"<r:last xmlns:r="urn:rates">12.5</r:last></e:Body></e:Envelope>"#
            )
        )
        #expect(try execution.run(&context).name == "finished")
        let body = try #require(context.body.string)
        #expect(body.contains(#"<q:symbol>ACME</q:symbol><r:last xmlns:r="urn:rates">12.5</r:last></q:quote>"#))
        #expect(!context.isResponse)
        #expect(context.headers.first(name: "X-Client") == "c1")
        #expect(context.headers.first(name: "X-Service") == nil)
        #expect(context.headers.first(name: "SOAPAction") == "\"urn:order\"")
        #expect(context.statusCode == 200)
    }

    @Test func aTargetKeyKeepsTheAnswerInAProperty() throws {
        var context = Self.soapContext()
        context[property: "request"] = .xml(#"<ask xmlns="urn:stock">ACME</ask>"#)
        let callout = #"<callout serviceURL="http://127.0.0.1:9/q"><source key="request"/><target key="answer"/></callout>"#
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(callout)), program: .empty)
        _ = try execution.run(&context)
        #expect(context.body.string?.contains(#"<soapenv:Body><ask xmlns="urn:stock">ACME</ask></soapenv:Body>"#) == true)
        context.receiveResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/xml")]), body: .text("<price>9</price>"))
        _ = try execution.run(&context)
        #expect(context[property: "answer"] == .xml("<price>9</price>"))
        #expect(context.body.string == Self.soapRequest)
    }

    @Test func aJSONMessageGoesAsItIsAndTheJSONAnswerReplacesThePayload() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"symbol":"ACME"}"#)
        var execution = SequenceExecution(
            sequence: try Build.sequence(try MediatorXML.roundTrip(#"<callout serviceURL="http://127.0.0.1:9/q"/>"#)),
            program: .empty
        )
        _ = try execution.run(&context)
        #expect(context.body.string == #"{"symbol":"ACME"}"#)
        context.receiveResponse(status: 201, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .text(#"{"price":3}"#))
        _ = try execution.run(&context)
        #expect(context.body.string == #"{"price":3}"#)
        #expect(context.statusCode == 201)
        #expect(!context.isResponse)
    }

    @Test func aSOAPFaultAnswerFaultsWithSynapsesCode() throws {
        var context = Self.soapContext()
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(Self.quoteCallout)), program: .empty)
        _ = try execution.run(&context)
        context.receiveResponse(
            status: 500,
            headers: HTTPHeaders([("Content-Type", "text/xml")]),
            body: .text(
                #"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>"#
                    + "<faultcode>e:Server</faultcode><faultstring>no such symbol</faultstring></e:Fault></e:Body></e:Envelope>"
            )
        )
        do {
            _ = try execution.run(&context)
            Issue.record("a SOAP fault answer must fault")
        } catch {
            #expect(error.code == 401000)
            #expect(error.detail?.contains("no such symbol") == true)
        }
    }

    @Test func aSourceThatSelectsNothingFaults() throws {
        var context = Self.soapContext()
        let callout = #"<callout serviceURL="http://127.0.0.1:9/q"><source xpath="//missing"/></callout>"#
        #expect(throws: MediationFault.self) { try Build.run(try MediatorXML.roundTrip(callout), on: &context) }
    }
}
