import NIOCore
import NIOHTTP1
import SluiceMediation
import Testing

@Suite struct FaultPayloadTests {
    static let fault = MediationFault(code: 101503, message: "Error connecting to the back end")

    @Test(arguments: [
        ([("Accept", "application/json")], "application/json; charset=UTF-8"),
        ([("Content-Type", "application/json")], "application/json; charset=UTF-8"),
        ([("Content-Type", "application/json"), ("Accept", "application/xml")], "application/xml; charset=UTF-8"),
        ([], "application/xml; charset=UTF-8"),
        ([("Content-Type", "text/xml"), ("SOAPAction", "urn:getQuote")], "text/xml; charset=UTF-8"),
        ([("Content-Type", "application/soap+xml; action=urn:x")], "application/soap+xml; charset=UTF-8"),
    ])
    func formatFollowsTheRequest(headers: [(String, String)], contentType: String) {
        #expect(FaultPayload.Format(requestHeaders: HTTPHeaders(headers)).contentType == contentType)
    }

    @Test func runtimeFaultXML() {
        let body = FaultPayload.body(FaultPayload.runtimeFields(for: Self.fault), family: .runtime, format: .xml)
        #expect(
            body
                == "<am:fault xmlns:am=\"http://wso2.org/apimanager\"><am:code>101503</am:code><am:type>Status report</am:type><am:message>Runtime Error</am:message><am:description>Error connecting to the back end</am:description></am:fault>"
        )
    }

    @Test func authenticationFaultJSONAndXML() {
        let fields = FaultPayload.Fields(
            code: 900901,
            message: "Invalid Credentials",
            description: "Invalid Credentials. Make sure you have given the correct access token"
        )
        #expect(
            FaultPayload.body(fields, family: .authentication, format: .json)
                == #"{"fault":{"code":900901,"message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have given the correct access token"}}"#
        )
        #expect(
            FaultPayload.body(fields, family: .authentication, format: .xml)
                == "<ams:fault xmlns:ams=\"http://wso2.org/apimanager/security\"><ams:code>900901</ams:code><ams:message>Invalid Credentials</ams:message><ams:description>Invalid Credentials. Make sure you have given the correct access token</ams:description></ams:fault>"
        )
    }

    @Test func throttlingFaultCarriesNextAccessTime() {
        let fields = FaultPayload.Fields(
            code: 900804,
            message: "Message throttled out",
            description: "You have exceeded your quota",
            nextAccessTime: "2020-Jan-08 16:59:00+0000 UTC"
        )
        #expect(
            FaultPayload.body(fields, family: .throttling, format: .json)
                == #"{"fault":{"code":900804,"message":"Message throttled out","description":"You have exceeded your quota","nextAccessTime":"2020-Jan-08 16:59:00+0000 UTC"}}"#
        )
        #expect(
            FaultPayload.body(fields, family: .throttling, format: .xml).hasPrefix(
                "<amt:fault xmlns:amt=\"http://wso2.org/apimanager/throttling\">"
            )
        )
    }

    @Test func soap11FaultWrapsTheDetail() {
        let body = FaultPayload.body(
            FaultPayload.runtimeFields(for: Self.fault),
            family: .runtime,
            format: .soap(.soap11)
        )
        #expect(
            body.hasPrefix(
                "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Runtime Error</faultstring><detail><am:fault"
            )
        )
        #expect(body.hasSuffix("</am:fault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"))
    }

    @Test func soap12ClientFaultUsesSender() {
        let fields = FaultPayload.Fields(code: 900901, message: "Invalid <Credentials>")
        let body = FaultPayload.body(fields, family: .authentication, format: .soap(.soap12), isClientError: true)
        #expect(body.contains("<soapenv:Code><soapenv:Value>soapenv:Sender</soapenv:Value></soapenv:Code>"))
        #expect(body.contains("<soapenv:Text xml:lang=\"en\">Invalid &lt;Credentials&gt;</soapenv:Text>"))
        #expect(body.contains("http://www.w3.org/2003/05/soap-envelope"))
    }

    @Test func responseUsesFaultStatusThenCustomStatusThen500() {
        var context = Build.context(headers: [("Accept", "application/json")])
        #expect(FaultPayload.response(for: Self.fault, context: context).status == 500)
        context[property: "CUSTOM_HTTP_SC"] = "504"
        #expect(FaultPayload.response(for: Self.fault, context: context).status == 504)
        var withStatus = Self.fault
        withStatus.httpStatus = 503
        let response = FaultPayload.response(for: withStatus, context: context)
        #expect(response.status == 503)
        #expect(response.headers["Content-Type"] == ["application/json; charset=UTF-8"])
    }

    @Test func faultAfterBackendResponseStillAnswersInTheRequestFormat() {
        var context = Build.context(headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:a")])
        context.receiveResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .empty)
        let response = FaultPayload.response(for: Self.fault, context: context, requestHeaders: context.requestHeaders)
        #expect(
            String(buffer: response.body).hasPrefix(
                "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            )
        )
    }

    @Test func escapesMessagesInEveryFormat() {
        let fields = FaultPayload.Fields(code: 1, message: "a \"quoted\" <tag> & more")
        #expect(
            FaultPayload.body(fields, family: .runtime, format: .json).contains(
                #""message":"a \"quoted\" <tag> & more""#
            )
        )
        #expect(
            FaultPayload.body(fields, family: .runtime, format: .xml).contains(
                "a &quot;quoted&quot; &lt;tag&gt; &amp; more"
            )
        )
    }

    /// A mediator's failure is logged as an error with its cause (a 500 from the fault sequence always has its
    /// reason in the log); faults the answer explains stay at debug.
    @Test func mediatorFailuresAreLoggedAsErrorsWithTheirCause() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a": "#)
        let reads = PropertyMediator(name: "a", value: .expression(Build.expression("json-eval($.a)")))
        do {
            try Build.run([.property(reads)], on: &context)
            Issue.record("a malformed body must fail the mediator")
        } catch let fault as MediationFault {
            #expect(fault.logLevel == .error)
            #expect(fault.detail?.isEmpty == false)
        }
        #expect(MediationFault.mediatorFailed("enrich", "the source property holds JSON").logLevel == .error)
        #expect(MediationFault.endpointUnavailable(endpointName: "e", state: "SUSPENDED").logLevel == .debug)
        #expect(MediationFault(code: 900901, message: "Invalid Credentials").logLevel == .debug)
    }
}
