import SluiceMediation
import SluiceModel
import Testing

/// Properties Axis2 and Synapse set for every HTTP request, which WSO2's shipped sequences read: axis2
/// `HTTP_METHOD` and `TransportInURL`, and `REST_METHOD` once the request is dispatched to an API.
@Suite struct RequestPropertiesTests {
    @Test func methodAndURLAreReadableInEveryScopeSynapseSetsThemIn() throws {
        var context = Build.context(method: "PATCH", path: "/shop/1.0/items/7", query: "full=1")
        #expect(context[property: "HTTP_METHOD", scope: .axis2] == "PATCH")
        #expect(context[property: "TransportInURL", scope: .axis2] == "/shop/1.0/items/7?full=1")
        // Synapse records REST_METHOD while dispatching to a resource: nothing before that (the main sequence).
        #expect(context.lookupProperty(scope: .default, name: "REST_METHOD") == nil)
        context.bindDispatch(apiName: "Shop", apiContext: "/shop/1.0")
        #expect(context.lookupProperty(scope: .default, name: "REST_METHOD") == "PATCH")
        try Build.run(
            try MediatorXML.roundTrip("""
                <filter source="$axis2:HTTP_METHOD" regex="^(?!.*(POST|PUT|PATCH)).*$">
                  <then><property name="bodyless" value="yes"/></then><else><property name="bodyless" value="no"/></else>
                </filter>
                <property name="method" expression="$ctx:REST_METHOD"/>
                """),
            on: &context
        )
        #expect(context[property: "bodyless"] == "no")
        #expect(context[property: "method"] == "PATCH")
    }

    @Test func anExplicitAxis2MethodWinsAndTheURLOfAGETHasNoQuestionMark() throws {
        var context = Build.context(method: "GET", path: "/")
        #expect(context[property: "TransportInURL", scope: .axis2] == "/")
        context[property: "HTTP_METHOD", scope: .axis2] = "DELETE"
        #expect(context[property: "HTTP_METHOD", scope: .axis2] == "DELETE")
        #expect(context.outgoingMethod == "DELETE")
    }

    /// A response's `MESSAGE_FORMAT` is its request's: Synapse's transport gives the reply the request's
    /// `doingREST`, so a SOAP 1.1 reply (no SOAPAction) is `soap11` and any reply to a REST request is `pox`.
    @Test(arguments: [
        ([("Content-Type", "text/xml"), ("SOAPAction", "urn:a")], "text/xml", "soap11"),
        ([("Content-Type", "application/soap+xml")], "application/soap+xml", "soap12"),
        ([("Content-Type", "application/json")], "text/xml", "pox"),
        ([("Content-Type", "application/xml")], "application/json", "pox"),
    ])
    func aResponsesMessageFormatIsItsRequests(request: [(String, String)], response: String, expected: String) {
        var context = Build.context(method: "POST", headers: request, body: "<a/>")
        let requestFormat = context.lookupProperty(scope: .default, name: "MESSAGE_FORMAT")
        context.receiveResponse(status: 200, headers: ["Content-Type": response], body: .text("<b/>"))
        #expect(context.lookupProperty(scope: .default, name: "MESSAGE_FORMAT") == .string(expected))
        #expect(requestFormat == .string(expected))
    }
}
