import NIOCore
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Synapse's URL rewrite mediator: reading and writing, every fragment and action, conditions over the URL being
/// rewritten, `inProperty`/`outProperty` and `resolve`.
@Suite struct RewriteMediatorTests {
    static let everyForm = """
        <rewrite inProperty="in" outProperty="out">
          <rewriterule>
            <condition><and><equal type="url" source="protocol" value="http"/><match type="header" source="X-Tier" regex="g.*"/></and></condition>
            <action type="set" fragment="host" value="backend.example"/>
            <action fragment="port" xpath="get-property('port')"/>
            <action type="append" fragment="path" value="/v2"/>
            <action type="prepend" fragment="query" value="a=1"/>
            <action type="replace" fragment="path" regex="/old/(\\w+)" value="/new/$1"/>
            <action type="remove" fragment="ref"/>
            <action type="remove-query-param" fragment="query" value="secret"/>
            <action type="set" fragment="path" value="/items/{id}" resolve="true"/>
          </rewriterule>
          <rewriterule><action value="http://other.example/x"/></rewriterule>
        </rewrite>
        """

    /// Runs `mediators` over a request for `url` (the message's `To`), as JSON or XML; returns the context.
    static func run(_ mediators: String, url: String? = nil, json: Bool = true, setUp: (inout MessageContext) -> Void = { _ in }) throws -> MessageContext {
        var context = Build.context(
            method: "POST",
            path: "/shop/orders",
            query: "x=1",
            headers: [("Content-Type", json ? "application/json" : "application/xml"), ("X-Tier", "gold")],
            body: json ? #"{"id":"42"}"# : "<order><id>42</id></order>"
        )
        if let url { context[property: "in"] = .string(url) }
        setUp(&context)
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context)
        return context
    }

    @Test func everyFormRoundTrips() throws {
        let nodes = try MediatorXML.roundTrip(Self.everyForm)
        let rewrite = try #require(nodes.first?.as(RewriteMediator.self))
        #expect(rewrite.rules.count == 2)
        #expect(rewrite.rules[0].actions.map(\.type) == [.set, .set, .append, .prepend, .replace, .remove, .removeQueryParameter, .set])
        #expect(rewrite.rules[1].actions.first?.fragment == .full)
    }

    @Test(arguments: [
        (#"<action type="set" fragment="protocol" value="https"/>"#, "https://shop.example:8080/a/b?q=1&r=2#top"),
        (#"<action type="set" fragment="host" value="backend.local"/>"#, "http://backend.local:8080/a/b?q=1&r=2#top"),
        (#"<action type="prepend" fragment="host" value="eu."/>"#, "http://eu.shop.example:8080/a/b?q=1&r=2#top"),
        (#"<action type="append" fragment="path" value="/c"/>"#, "http://shop.example:8080/a/b/c?q=1&r=2#top"),
        (#"<action type="prepend" fragment="path" value="/v1"/>"#, "http://shop.example:8080/v1/a/b?q=1&r=2#top"),
        (#"<action type="replace" fragment="path" regex="/a/(\w)" value="/z/$1$1"/>"#, "http://shop.example:8080/z/bb?q=1&r=2#top"),
        (#"<action type="remove" fragment="path"/>"#, "http://shop.example:8080?q=1&r=2#top"),
        (#"<action type="append" fragment="query" value="s=3"/>"#, "http://shop.example:8080/a/b?q=1&r=2&s=3#top"),
        (#"<action type="prepend" fragment="query" value="s=3"/>"#, "http://shop.example:8080/a/b?s=3&q=1&r=2#top"),
        (#"<action type="remove-query-param" fragment="query" value="q"/>"#, "http://shop.example:8080/a/b?r=2#top"),
        (#"<action type="remove" fragment="query"/>"#, "http://shop.example:8080/a/b#top"),
        (#"<action type="set" fragment="ref" value="end"/>"#, "http://shop.example:8080/a/b?q=1&r=2#end"),
        (#"<action type="set" fragment="port" value="9443"/>"#, "http://shop.example:9443/a/b?q=1&r=2#top"),
        (#"<action type="remove" fragment="port"/>"#, "http://shop.example/a/b?q=1&r=2#top"),
        (#"<action type="set" fragment="user" value="ann"/>"#, "http://ann@shop.example:8080/a/b?q=1&r=2#top"),
        (#"<action value="https://elsewhere.example/x"/>"#, "https://elsewhere.example/x"),
        // The whole URL is replaced whatever the action type, as in Synapse.
        (#"<action type="append" fragment="full" value="https://elsewhere.example/y"/>"#, "https://elsewhere.example/y"),
        (#"<action type="set" fragment="path" value="/a b"/>"#, "http://shop.example:8080/a%20b?q=1&r=2#top"),
    ])
    func eachFragmentAndAction(action: String, expected: String) throws {
        for json in [true, false] {
            let context = try Self.run(
                #"<rewrite inProperty="in" outProperty="out"><rewriterule>\#(action)</rewriterule></rewrite>"#,
                url: "http://shop.example:8080/a/b?q=1&r=2#top",
                json: json
            )
            #expect(context[property: "out"] == .string(expected))
        }
    }

    @Test func withoutPropertiesTheMessagesToIsRewrittenForASendWithoutEndpoint() throws {
        // The request's To is the URL it came to; rewriting it into an absolute URL makes <send/> go there.
        var context = try Self.run(
            """
            <rewrite><rewriterule>
              <action fragment="protocol" value="http"/><action fragment="host" value="127.0.0.1"/>
              <action fragment="port" value="9000"/><action type="prepend" fragment="path" value="/services"/>
            </rewriterule></rewrite>
            """
        )
        var execution = SequenceExecution(sequence: try Build.sequence([.send(SendMediator())]), program: .empty)
        guard case .send(let endpoint?, _) = try execution.run(&context), case .leaf(let leaf) = endpoint.kind else {
            Issue.record("expected a send to the rewritten To")
            return
        }
        #expect(leaf.url(for: context) == "http://127.0.0.1:9000/services/shop/orders?x=1")
    }

    @Test func aConditionIsEvaluatedOnTheURLBeingRewritten() throws {
        let mediators = """
            <rewrite inProperty="in" outProperty="out">
              <rewriterule><action fragment="protocol" value="https"/></rewriterule>
              <rewriterule>
                <condition><equal type="url" source="protocol" value="https"/></condition>
                <action fragment="port" value="8443"/>
              </rewriterule>
              <rewriterule>
                <condition><match type="header" source="X-Tier" regex="silver"/></condition>
                <action fragment="host" value="never.example"/>
              </rewriterule>
              <rewriterule>
                <condition><equal type="param" source="lang" value="en"/></condition>
                <action type="append" fragment="path" value="/en"/>
              </rewriterule>
            </rewrite>
            """
        let context = try Self.run(mediators, url: "http://shop.example/docs?lang=en")
        #expect(context[property: "out"] == .string("https://shop.example:8443/docs/en?lang=en"))
    }

    @Test func resolveReplacesPropertiesAndAnUnknownOneEmptiesTheFragment() throws {
        let mediators = #"<rewrite inProperty="in" outProperty="out"><rewriterule><action fragment="path" value="/orders/{orderId}/items" resolve="true"/></rewriterule></rewrite>"#
        let resolved = try Self.run(mediators, url: "http://shop.example/x") { $0[property: "orderId"] = "17" }
        #expect(resolved[property: "out"] == .string("http://shop.example/orders/17/items"))
        let unresolved = try Self.run(mediators, url: "http://shop.example/x")
        #expect(unresolved[property: "out"] == .string("http://shop.example"))
    }

    @Test func anXPathValueReadsTheMessage() throws {
        let mediators = #"<rewrite inProperty="in" outProperty="out"><rewriterule><action type="append" fragment="path" xpath="concat('/', //id)"/></rewriterule></rewrite>"#
        let xml = try Self.run(mediators, url: "http://shop.example/orders", json: false)
        #expect(xml[property: "out"] == .string("http://shop.example/orders/42"))
    }

    @Test func aBadPortOrURLFaults() throws {
        for (action, url) in [
            (#"<action fragment="port" value="eighty"/>"#, "http://shop.example/x"),
            (#"<action fragment="host" value="h"/>"#, "http://[bad"),
        ] {
            #expect(throws: MediationFault.self) {
                try Self.run(#"<rewrite inProperty="in" outProperty="out"><rewriterule>\#(action)</rewriterule></rewrite>"#, url: url)
            }
        }
    }

    @Test(arguments: [
        (#"<rewrite><rewriterule/></rewrite>"#, "needs at least one <action>"),
        (#"<rewrite><rewriterule><action type="set"/></rewriterule></rewrite>"#, "needs a 'value' or an 'xpath'"),
        (#"<rewrite><rewriterule><action type="replace" value="x"/></rewriterule></rewrite>"#, "needs a 'regex'"),
        (#"<rewrite><rewriterule><action type="remove-query-param" fragment="path" value="x"/></rewriterule></rewrite>"#, "fragment=\"query\" only"),
        (#"<rewrite><rewriterule><action fragment="scheme" value="x"/></rewriterule></rewrite>"#, "invalid fragment 'scheme'"),
        (#"<rewrite><rewriterule><action type="swap" value="x"/></rewriterule></rewrite>"#, "invalid type 'swap'"),
        (#"<rewrite><rule/></rewrite>"#, "unknown element"),
    ])
    func badRewritesAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }
}
