import NIOCore
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Synapse's `<conditionalRouter>`: reading and writing, conditions over every source, route order, `breakRoute`,
/// `continueAfter` and asynchronous routes.
@Suite struct ConditionalRouterMediatorTests {
    static let everyCondition = """
        <conditionalRouter continueAfter="true">
          <conditionalRoute breakRoute="false">
            <condition><and>
              <equal type="header" source="X-Tier" value="gold"/>
              <or><match type="url" source="path" regex="/orders/.*"/><equal type="param" source="fast" value="yes"/></or>
              <not><equal type="property" source="blocked" value="true"/></not>
              <match type="soap" source="//m:order/m:type" regex="a.*"/>
              <match type="url" regex=".*"/>
              <equal source="X-Plain" value="1"/>
            </and></condition>
            <target sequence="gold"/>
          </conditionalRoute>
          <conditionalRoute asynchronous="true">
            <condition><equal type="header" source="X-Copy" value="yes"/></condition>
            <target><sequence><log/></sequence></target>
          </conditionalRoute>
          <conditionalRoute>
            <condition><match source="X-Tier" regex=".*"/></condition>
            <target><endpoint><address uri="http://127.0.0.1:9/other"/></endpoint></target>
          </conditionalRoute>
        </conditionalRouter>
        """

    static func router(_ routes: String, continueAfter: Bool = false, then after: String = "") throws -> [MediatorNode] {
        try MediatorXML.roundTrip(
            #"<conditionalRouter continueAfter="\#(continueAfter)">\#(routes)</conditionalRouter>"#
                + #"<property name="after" value="ran"/>"# + after
        )
    }

    static func route(_ condition: String, _ mediators: String, breakRoute: Bool = true) -> String {
        """
        <conditionalRoute breakRoute="\(breakRoute)"><condition>\(condition)</condition>\
        <target><sequence>\(mediators)</sequence></target></conditionalRoute>
        """
    }

    @Test func roundTripsEveryConditionAndRouteForm() throws {
        let nodes = try MediatorXML.roundTrip(Self.everyCondition, namespaces: #"xmlns:m="urn:m""#)
        let router = try #require(nodes.first?.as(ConditionalRouterMediator.self))
        #expect(router.continueAfter)
        #expect(router.routes.count == 3)
        #expect(!router.routes[0].breakRoute && router.routes[1].asynchronous && router.routes[2].breakRoute)
        guard case .and(let operands) = router.routes[0].condition else {
            Issue.record("an and condition")
            return
        }
        #expect(operands.count == 6)
        #expect(operands[4] == .match(.url(nil), regex: ".*"))
        #expect(operands[5] == .equal(.header("X-Plain"), value: "1"))
        guard case .match(.soap(let xpath), _) = operands[3] else {
            Issue.record("a soap condition")
            return
        }
        #expect(xpath.namespaces["m"] == "urn:m")
    }

    @Test func badRoutersAreRefusedWithTheReason() throws {
        #expect(MediatorXML.problems("<conditionalRouter/>") == ["<conditionalRouter> needs at least one <conditionalRoute>"])
        #expect(
            MediatorXML.problems(#"<conditionalRouter><conditionalRoute><target sequence="a"/></conditionalRoute></conditionalRouter>"#)
                == ["<conditionalRoute> needs a <condition> and a <target>"]
        )
        let condition = { (text: String) in
            MediatorXML.problems(
                #"<conditionalRouter><conditionalRoute><condition>\#(text)</condition><target sequence="a"/></conditionalRoute></conditionalRouter>"#
            )
        }
        #expect(condition("<exists source='a'/>") == ["unknown route condition <exists>: expected and, or, not, equal or match"])
        #expect(condition(#"<and><equal source="a" value="b"/></and>"#) == ["<and> of a route condition needs two or more conditions"])
        #expect(condition(#"<equal type="url" source="file" value="b"/>"#) == [
            "'source' of a url condition must be one of protocol, user, host, port, path, query, ref, not 'file'"
        ])
        #expect(condition(#"<equal type="cookie" source="a" value="b"/>"#) == [
            "unknown condition type 'cookie': expected header, param, url, property or soap"
        ])
        #expect(condition(#"<equal type="param" source="a"/>"#).count == 1)
        #expect(condition(#"<equal type="header" value="b"/>"#).count == 1)
        #expect(condition("").first == "<condition> holds exactly one condition (and, or, not, equal, match)")
        #expect(
            MediatorXML.problems(
                #"<conditionalRouter continueAfter="maybe"><conditionalRoute><condition><equal source="a" value="b"/></condition><target sequence="a"/></conditionalRoute></conditionalRouter>"#
            ) == ["attribute 'continueAfter' on <conditionalRouter> must be true or false, not 'maybe'"]
        )
        // A regex that does not compile fails the deployment.
        let nodes = try MediatorXML.roundTrip(
            #"<conditionalRouter><conditionalRoute><condition><match source="a" regex="(("/></condition><target sequence="a"/></conditionalRoute></conditionalRouter>"#
        )
        #expect(throws: MediationCompileError.self) { try Build.sequence(nodes) }
    }

    @Test func theFirstMatchingRouteRunsAndRoutingStopsTheSequence() throws {
        let nodes = try Self.router(
            Self.route(#"<equal type="header" source="X-Tier" value="silver"/>"#, #"<property name="route" value="silver"/>"#)
                + Self.route(#"<match source="x-tier" regex="g.*"/>"#, #"<property name="route" value="gold"/>"#)
                + Self.route(#"<match source="X-Tier" regex=".*"/>"#, #"<property name="route" value="any"/>"#)
        )
        var context = Build.context(method: "POST", headers: [("X-Tier", "GOLDEN"), ("Content-Type", "application/json")], body: "{}")
        #expect(try Build.run(nodes, on: &context).name == "finished")
        // `equal` ignores case, `match` does not (so only the catch-all route matches); the sequence stopped.
        #expect(context[property: "route"] == .string("any"))
        #expect(context[property: "after"] == nil)
        var lower = Build.context(headers: [("X-Tier", "gold")])
        try Build.run(nodes, on: &lower)
        #expect(lower[property: "route"] == .string("gold"))
        #expect(lower[property: "after"] == nil)
        var silver = Build.context(headers: [("X-Tier", "SILVER")])
        try Build.run(nodes, on: &silver)
        #expect(silver[property: "route"] == .string("silver"))
    }

    @Test func aRouteThatDoesNotBreakIsFollowedByTheNextRoutesTriedAfterItsTarget() throws {
        let nodes = try Self.router(
            Self.route(#"<equal type="param" source="fast" value="yes"/>"#, #"<property name="seen" value="fast"/>"#, breakRoute: false)
                + Self.route(#"<equal type="property" source="seen" value="fast"/>"#, #"<property name="second" value="yes"/>"#)
                + Self.route(#"<match type="url" regex=".*"/>"#, #"<property name="third" value="yes"/>"#),
            continueAfter: true
        )
        var context = Build.context(query: "fast=yes")
        try Build.run(nodes, on: &context)
        #expect(context[property: "seen"] == .string("fast"))
        #expect(context[property: "second"] == .string("yes"))
        #expect(context[property: "third"] == nil)
        #expect(context[property: "after"] == .string("ran"))
        // No route matches: with continueAfter the sequence goes on.
        var other = Build.context(path: "/shop", query: "fast=no")
        let fallThrough = try Self.router(Self.route(#"<match type="url" source="path" regex="/orders.*"/>"#, "<drop/>"), continueAfter: true)
        #expect(try Build.run(fallThrough, on: &other).name == "finished")
        #expect(other[property: "after"] == .string("ran"))
    }

    @Test func conditionsReadTheXMLEnvelopeAndTheURL() throws {
        let nodes = try MediatorXML.roundTrip(
            """
            <conditionalRouter continueAfter="true">
              <conditionalRoute breakRoute="false"><condition><equal type="soap" source="//order/type" value="GOLD"/></condition>
                <target><sequence><property name="soap" value="yes"/></sequence></target></conditionalRoute>
              <conditionalRoute breakRoute="false"><condition><and>
                <equal type="url" value="/api/1.0/orders?id=4&amp;x=%2F"/><equal type="url" source="query" value="id=4&amp;x=/"/>
                <equal type="url" source="port" value="-1"/><not><match type="url" source="host" regex=".*"/></not>
              </and></condition><target><sequence><property name="url" value="yes"/></sequence></target></conditionalRoute>
            </conditionalRouter>
            """
        )
        var context = Build.context(
            method: "POST",
            query: "id=4&x=%2F",
            headers: [("Content-Type", "application/xml")],
            body: "<order><type>gold</type></order>"
        )
        try Build.run(nodes, on: &context)
        #expect(context[property: "soap"] == .string("yes"))
        #expect(context[property: "url"] == .string("yes"))
    }

    @Test func anEndpointTargetSendsAndAnAsynchronousRouteRunsACopy() throws {
        let nodes = try MediatorXML.roundTrip(
            """
            <conditionalRouter>
              <conditionalRoute asynchronous="true" breakRoute="false"><condition><match source="X-Copy" regex=".+"/></condition>
                <target><sequence><property name="copy" value="yes"/><drop/></sequence></target></conditionalRoute>
              <conditionalRoute><condition><match type="url" regex=".*"/></condition>
                <target soapAction="urn:route"><endpoint><address uri="http://127.0.0.1:9/routed"/></endpoint></target></conditionalRoute>
            </conditionalRouter>
            """
        )
        var context = Build.context(method: "POST", headers: [("X-Copy", "1"), ("Content-Type", "application/json")], body: #"{"a":1}"#)
        var execution = SequenceExecution(sequence: try Build.sequence(nodes), program: .empty)
        guard case .split(let split) = try execution.run(&context) else {
            Issue.record("the asynchronous route splits")
            return
        }
        #expect(split.continueParent && split.branches.count == 1)
        var copy = split.branches[0]
        #expect(try copy.execution.run(&copy.context).name == "drop")
        #expect(copy.context[property: "copy"] == .string("yes"))
        #expect(context[property: "copy"] == nil)
        guard case .send(let endpoint?, nil) = try execution.run(&context), case .leaf(let leaf) = endpoint.kind else {
            Issue.record("the endpoint route sends")
            return
        }
        #expect(leaf.target == .address(uri: "http://127.0.0.1:9/routed"))
    }
}
