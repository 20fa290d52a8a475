import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct FilterMediatorTests {
    static func filter(_ condition: FilterMediator.Condition) -> MediatorNode {
        .filter(
            FilterMediator(
                condition: condition,
                then: [.property(PropertyMediator(name: "branch", value: .literal("then")))],
                otherwise: [.property(PropertyMediator(name: "branch", value: .literal("else")))]
            )
        )
    }

    @Test(arguments: [
        ("PRODUCTION", "then"),
        ("SANDBOX", "else"),
        ("PRODUCTION2", "else"),
        ("xPRODUCTION", "else"),
    ])
    func regexMustMatchTheWholeSource(keyType: String, expected: String) throws {
        var context = Build.context()
        context[property: "AM_KEY_TYPE"] = .string(keyType)
        try Build.run(
            [Self.filter(.sourceMatches(source: Build.expression("$ctx:AM_KEY_TYPE"), regex: "PRODUCTION"))],
            on: &context
        )
        #expect(context[property: "branch"] == .string(expected))
    }

    @Test func absentSourceTakesElse() throws {
        var context = Build.context()
        try Build.run(
            [Self.filter(.sourceMatches(source: Build.expression("$ctx:nothing"), regex: ".*"))],
            on: &context
        )
        #expect(context[property: "branch"] == "else")
    }

    @Test(arguments: [
        ("{\"amount\":250}", "json-eval($.amount) > 100", "then"),
        ("{\"amount\":50}", "//amount > 100", "else"),
        ("{\"amount\":50}", "get-property('tier') = 'gold'", "then"),
        ("{\"amount\":50}", "$trp:Content-Type = 'text/plain'", "else"),
    ])
    func xpathConditions(body: String, xpath: String, expected: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
        context[property: "tier"] = "gold"
        let condition: FilterMediator.Condition =
            xpath.hasPrefix("json-eval")
            ? .sourceMatches(source: Build.expression("json-eval($.amount)"), regex: "[1-9]\\d{2,}")
            : .xpath(Build.expression(xpath))
        try Build.run([Self.filter(condition)], on: &context)
        #expect(context[property: "branch"] == .string(expected))
    }

    @Test func nestedFiltersContinueAfterTheBranch() throws {
        var context = Build.context()
        context[property: "a"] = "1"
        let nested = MediatorNode.filter(
            FilterMediator(
                condition: .sourceMatches(source: Build.expression("$ctx:a"), regex: "1"),
                then: [
                    .filter(
                        FilterMediator(
                            condition: .sourceMatches(source: Build.expression("$ctx:a"), regex: "2"),
                            then: [.property(PropertyMediator(name: "inner", value: .literal("then")))],
                            otherwise: [.property(PropertyMediator(name: "inner", value: .literal("else")))]
                        )
                    ),
                    .property(PropertyMediator(name: "after-inner", value: .literal("yes"))),
                ]
            )
        )
        try Build.run([nested, .property(PropertyMediator(name: "after-outer", value: .literal("yes")))], on: &context)
        #expect(context[property: "inner"] == "else")
        #expect(context[property: "after-inner"] == "yes")
        #expect(context[property: "after-outer"] == "yes")
    }
}
