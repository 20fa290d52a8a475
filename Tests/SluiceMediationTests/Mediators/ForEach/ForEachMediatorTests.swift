import SluiceMediation
import SluiceModel
import Testing

@Suite struct ForEachMediatorTests {
    static let jsonPrices = """
        <foreach expression="json-eval($.basket.lines)" id="lines">\
        <sequence>\
        <property name="sku" expression="json-eval($.sku)"/>\
        <payloadFactory media-type="json"><format>{"sku":"$1","checked":true}</format>\
        <args><arg evaluator="json" expression="$.sku"/></args></payloadFactory>\
        </sequence>\
        </foreach>
        """

    static let xmlNames = """
        <foreach xmlns:c="urn:crew" expression="//c:member">\
        <sequence>\
        <payloadFactory media-type="xml"><format><c:member xmlns:c="urn:crew" checked="yes">$1</c:member></format>\
        <args><arg xmlns:c="urn:crew" expression="concat('Mr ', //c:member)"/></args></payloadFactory>\
        </sequence>\
        </foreach>
        """

    @Test func roundTripsInlineAndKeyedSequences() throws {
        let inline = try #require(try MediatorXML.roundTrip(Self.jsonPrices).first?.as(ForEachMediator.self))
        #expect(inline.id == "lines")
        guard case .inline(let mediators) = inline.sequence else {
            Issue.record("inline sequence expected")
            return
        }
        #expect(mediators.count == 2)
        let keyed = try #require(
            try MediatorXML.roundTrip(#"<foreach expression="//a" sequence="fix" continueLoopOnFailure="true"/>"#)
                .first?.as(ForEachMediator.self)
        )
        #expect(keyed.sequence == .key("fix"))
        #expect(keyed.continueLoopOnFailure)
    }

    @Test func rewritesEachElementOfAJSONArrayInPlace() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"basket":{"id":7,"lines":[{"sku":"a1","qty":2},{"sku":"b2","qty":1}]}}"#
        )
        let step = try Build.run(try MediatorXML.roundTrip(Self.jsonPrices), on: &context)
        #expect(step.name == "finished")
        #expect(
            context.body.string
                == #"{"basket":{"id":7,"lines":[{"sku":"a1","checked":true},{"sku":"b2","checked":true}]}}"#
        )
        #expect(context[property: "lines_FOREACH_COUNTER"] == .integer(2))
        #expect(context[property: "sku"] == .string("b2"))
        #expect(context.headers.first(name: "Content-Type") == "application/json")
    }

    @Test func rewritesEachMatchedXMLElementInPlaceKeepingTheRest() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/xml")],
            body: #"<c:crew xmlns:c="urn:crew"><c:ship>Ann</c:ship><c:member>ada</c:member><c:member>bo</c:member></c:crew>"#
        )
        try Build.run(try MediatorXML.roundTrip(Self.xmlNames), on: &context)
        let body = try #require(context.body.string)
        #expect(body.contains(#"<c:ship>Ann</c:ship>"#))
        #expect(body.contains(#"checked="yes">Mr ada</c:member>"#))
        #expect(body.contains(#"checked="yes">Mr bo</c:member>"#))
        #expect(body.range(of: "Mr ada")!.lowerBound < body.range(of: "Mr bo")!.lowerBound)
        #expect(context[property: "FOREACH_COUNTER"] == .integer(2))
    }

    @Test func noMatchLeavesTheMessageAlone() throws {
        let original = #"<crew><ship>Ann</ship></crew>"#
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: original)
        try Build.run(
            try MediatorXML.roundTrip(#"<foreach expression="//member"><sequence><drop/></sequence></foreach>"#),
            on: &context
        )
        #expect(context.body.string == original)
        #expect(context[property: "FOREACH_COUNTER"] == .integer(0))
    }

    @Test func aJSONPathThatIsNotAnArrayFaults() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":{"b":1}}"#)
        #expect(throws: MediationFault.self) {
            try Build.run(
                try MediatorXML.roundTrip(#"<foreach expression="json-eval($.a)"><sequence><log/></sequence></foreach>"#),
                on: &context
            )
        }
    }

    /// `n` of a fragment must be an integer; "two" fails the property mediator.
    static func numbering(continueOnFailure: Bool) -> String {
        #"<foreach expression="json-eval($.items)" continueLoopOnFailure="\#(continueOnFailure)"><sequence>"#
            + #"<property name="n" expression="json-eval($.n)" type="INTEGER"/>"#
            + #"<payloadFactory media-type="json"><format>{"n":$1,"ok":true}</format>"#
            + #"<args><arg evaluator="json" expression="$.n"/></args></payloadFactory></sequence></foreach>"#
    }

    @Test func aFailingFragmentFaultsUnlessTheLoopContinuesOnFailure() throws {
        let body = #"{"items":[{"n":1},{"n":"two"},{"n":3}]}"#
        var strict = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
        #expect(throws: MediationFault.self) {
            try Build.run(try MediatorXML.roundTrip(Self.numbering(continueOnFailure: false)), on: &strict)
        }
        var lenient = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
        try Build.run(try MediatorXML.roundTrip(Self.numbering(continueOnFailure: true)), on: &lenient)
        #expect(lenient.body.string == #"{"items":[{"n":1,"ok":true},{"n":"two"},{"n":3,"ok":true}]}"#)
        #expect(lenient[property: "FOREACH_COUNTER"] == .integer(2))
    }

    @Test func aDropEndsTheLoopAndKeepsTheRemainingFragments() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"items":[{"n":1},{"n":2},{"n":3}]}"#
        )
        let loop = #"<foreach expression="json-eval($.items)"><sequence>"#
            + #"<payloadFactory media-type="json"><format>{"n":$1,"seen":true}</format>"#
            + #"<args><arg evaluator="json" expression="$.n"/></args></payloadFactory>"#
            + #"<filter source="json-eval($.n)" regex="2"><then><drop/></then></filter></sequence></foreach>"#
        try Build.run(try MediatorXML.roundTrip(loop), on: &context)
        #expect(context.body.string == #"{"items":[{"n":1,"seen":true},{"n":2,"seen":true},{"n":3}]}"#)
    }

    @Test func refusesMediatorsThatLeaveTheMessage() {
        for inner in ["<send/>", "<call><endpoint><address uri=\"http://x\"/></endpoint></call>", "<respond/>"] {
            let problems = MediatorXML.problems(#"<foreach expression="//a"><sequence>"# + inner + "</sequence></foreach>")
            #expect(problems.count == 1)
            #expect(problems.first?.contains("cannot contain") == true)
        }
        #expect(MediatorXML.problems(#"<foreach expression="//a"/>"#) == [
            "<foreach> needs a 'sequence' attribute or an inline <sequence>"
        ])
    }
}
