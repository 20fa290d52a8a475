import SluiceMediation
import SluiceModel
import Testing

@Suite struct SwitchMediatorTests {
    static let jsonSwitch = """
        <switch source="json-eval($.order.kind)">\
        <case regex="pizza|pasta"><property name="route" value="kitchen"/></case>\
        <case regex="drink.*"><property name="route" value="bar"/></case>\
        <default><property name="route" value="desk"/></default>\
        </switch>
        """

    static let xpathSwitch = """
        <switch xmlns:o="http://example.com/order" source="//o:kind">\
        <case regex="pizza"><property name="route" value="kitchen"/></case>\
        <case regex="drink"><respond/></case>\
        </switch>
        """

    @Test func roundTripsKeepingCaseOrderAndNamespaces() throws {
        let json = try #require(try MediatorXML.roundTrip(Self.jsonSwitch).first?.as(SwitchMediator.self))
        #expect(json.cases.map(\.regex) == ["pizza|pasta", "drink.*"])
        #expect(json.defaultCase?.count == 1)
        let xpath = try #require(try MediatorXML.roundTrip(Self.xpathSwitch).first?.as(SwitchMediator.self))
        #expect(xpath.source.namespaces == ["o": "http://example.com/order"])
        #expect(xpath.defaultCase == nil)
    }

    @Test(arguments: [("pizza", "kitchen"), ("drink-cola", "bar"), ("salad", "desk"), ("pizzas", "desk")])
    func jsonSourcePicksTheFirstWholeMatch(kind: String, route: String) throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"order":{"kind":"\#(kind)"}}"#
        )
        try Build.run(try MediatorXML.roundTrip(Self.jsonSwitch), on: &context)
        #expect(context[property: "route"] == .string(route))
    }

    @Test func xmlSourceMatchesAndCasesMayEndTheFlow() throws {
        let order = #"<o:order xmlns:o="http://example.com/order"><o:kind>drink</o:kind></o:order>"#
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: order)
        #expect(try Build.run(try MediatorXML.roundTrip(Self.xpathSwitch), on: &context).name == "respond")
    }

    @Test func absentSourceTakesTheDefault() throws {
        var context = Build.context()
        try Build.run(
            try MediatorXML.roundTrip(
                #"<switch source="$ctx:missing"><case regex=".*"><property name="r" value="case"/></case>"#
                    + #"<default><property name="r" value="default"/></default></switch>"#
            ),
            on: &context
        )
        #expect(context[property: "r"] == "default")
    }

    @Test func problemsAreReported() throws {
        #expect(MediatorXML.problems(#"<switch><case regex="a"/></switch>"#) == [
            "missing required attribute 'source' on <switch>"
        ])
        #expect(MediatorXML.problems(#"<switch source="$ctx:a"><case/></switch>"#) == [
            "missing required attribute 'regex' on <case>"
        ])
        #expect(MediatorXML.problems(#"<switch source="$ctx:a"><default/><default/></switch>"#) == [
            "<switch> takes one <default>"
        ])
        let broken = try MediatorXML.roundTrip(#"<switch source="$ctx:a"><case regex="(unclosed"/></switch>"#)
        #expect(throws: MediationCompileError.self) { try Build.sequence(broken) }
    }
}
