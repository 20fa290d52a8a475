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
}
