import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct PropertyMediatorTests {
    @Test(arguments: [
        (PropertyMediator.PropertyType.integer, "42", PropertyValue.integer(42)),
        (.long, " 7 ", .integer(7)),
        (.short, "-3", .integer(-3)),
        (.double, "2.5", .double(2.5)),
        (.float, "1", .double(1)),
        (.boolean, "TRUE", .boolean(true)),
        (.boolean, "yes", .boolean(false)),
        (.string, "x", .string("x")),
        (
            .json, "{\"a\":[1]}",
            .json(
                .object(
                    {
                        var o = JSONObject(); o["a"] = .array([.number("1")]); return o
                    }()
                )
            )
        ),
        (.om, "<a>1</a>", .xml("<a>1</a>")),
    ])
    func convertsTypes(type: PropertyMediator.PropertyType, value: String, expected: PropertyValue) throws {
        var context = Build.context()
        try Build.run([.property(PropertyMediator(name: "p", value: .literal(value), type: type))], on: &context)
        #expect(context[property: "p"] == expected)
    }

    @Test(arguments: [
        (PropertyMediator.PropertyType.integer, "4x"),
        (.short, "70000"),
        (.double, "abc"),
        (.json, "{broken"),
    ])
    func badConversionFaults(type: PropertyMediator.PropertyType, value: String) {
        var context = Build.context()
        #expect(throws: MediationFault.self) {
            try Build.run([.property(PropertyMediator(name: "p", value: .literal(value), type: type))], on: &context)
        }
    }

    @Test func scopesMapToTheirStores() throws {
        var context = Build.context(headers: [("X-Old", "1")])
        try Build.run(
            [
                .property(PropertyMediator(name: "d", value: .literal("v"))),
                .property(PropertyMediator(name: "X-New", value: .literal("h"), scope: .transport)),
                .property(PropertyMediator(name: "X-Old", value: nil, scope: .transport, action: .remove)),
                .property(PropertyMediator(name: "HTTP_SC", value: .literal("201"), scope: .axis2)),
                .property(PropertyMediator(name: "messageType", value: .literal("application/xml"), scope: .axis2)),
                .property(PropertyMediator(name: "REST_URL_POSTFIX", value: nil, scope: .axis2, action: .remove)),
                .property(PropertyMediator(name: "op", value: .literal("o"), scope: .operation)),
            ],
            on: &context
        )
        #expect(context[property: "d"] == "v")
        #expect(context.headers["X-New"] == ["h"])
        #expect(context.headers["X-Old"].isEmpty)
        #expect(context.statusCode == 201)
        #expect(context[property: "HTTP_SC", scope: .axis2] == .integer(201))
        #expect(context.headers["Content-Type"] == ["application/xml"])
        #expect(context[property: "op", scope: .operation] == "o")
        #expect(context[property: "op"] == nil)
    }

    @Test func removeDeletesDefaultScopeProperty() throws {
        var context = Build.context()
        context[property: "gone"] = "x"
        try Build.run([.property(PropertyMediator(name: "gone", value: nil, action: .remove))], on: &context)
        #expect(context[property: "gone"] == nil)
    }

    @Test(arguments: [
        ("Bearer abc123", "Bearer (.*)", 1, "abc123"),
        ("v2-beta", "v(\\d+)-(\\w+)", 2, "beta"),
        ("v2-beta", "v(\\d+)-(\\w+)", 0, "v2-beta"),
    ])
    func patternExtractsGroup(value: String, pattern: String, group: Int, expected: String) throws {
        var context = Build.context()
        try Build.run(
            [.property(PropertyMediator(name: "p", value: .literal(value), pattern: pattern, group: group))],
            on: &context
        )
        #expect(context[property: "p"] == .string(expected))
    }

    @Test func patternWithoutFullMatchSetsNothing() throws {
        var context = Build.context()
        try Build.run([.property(PropertyMediator(name: "p", value: .literal("xabc"), pattern: "abc"))], on: &context)
        #expect(context[property: "p"] == nil)
    }

    @Test func invalidPatternFailsCompilation() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([.property(PropertyMediator(name: "p", value: .literal("x"), pattern: "(unclosed"))])
        }
    }
}

@Suite struct HeaderMediatorTests {
    @Test func setsAndRemovesTransportHeaders() throws {
        var context = Build.context(headers: [("X-Remove", "1"), ("X-Replace", "old")])
        context[property: "tenant"] = "acme"
        try Build.run(
            [
                .header(HeaderMediator(name: "X-Remove", value: nil, action: .remove, scope: .transport)),
                .header(HeaderMediator(name: "X-Replace", value: .literal("new"), scope: .transport)),
                .header(
                    HeaderMediator(
                        name: "X-Tenant",
                        value: .expression(Build.expression("$ctx:tenant")),
                        scope: .transport
                    )
                ),
            ],
            on: &context
        )
        #expect(context.headers["X-Remove"].isEmpty)
        #expect(context.headers["X-Replace"] == ["new"])
        #expect(context.headers["X-Tenant"] == ["acme"])
    }

    @Test func soapHeaderScopeIsRefusedAtDeployTime() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([.header(HeaderMediator(name: "ns:Security", value: .literal("x")))])
        }
    }
}

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

@Suite struct FlowMediatorTests {
    @Test(arguments: [
        (MediatorNode.respond, "respond"),
        (.drop, "drop"),
        (.loopback, "loopback"),
    ])
    func flowMediatorsStopTheSequence(mediator: MediatorNode, expected: String) throws {
        var context = Build.context()
        let step = try Build.run(
            [mediator, .property(PropertyMediator(name: "after", value: .literal("x")))],
            on: &context
        )
        #expect(step.name == expected)
        #expect(context[property: "after"] == nil)
    }

    @Test func fallingOffTheEndFinishes() throws {
        var context = Build.context()
        #expect(
            try Build.run([.property(PropertyMediator(name: "a", value: .literal("x")))], on: &context).name
                == "finished"
        )
    }

    @Test func sendCarriesEndpointAndReceiveSequence() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [SequenceDefinition(name: "onResponse")],
            endpoints: []
        )
        var context = Build.context()
        let step = try Build.run(
            [.send(SendMediator(endpoint: Build.address("http://backend:8080/api"), receive: "onResponse"))],
            on: &context,
            program: program
        )
        guard case .send(let endpoint?, let receive) = step, case .leaf(let leaf) = endpoint.kind else {
            Issue.record("expected send to a leaf, got \(step.name)")
            return
        }
        #expect(receive == "onResponse")
        #expect(leaf.target == .address(uri: "http://backend:8080/api"))
    }

    @Test func bareSendHasNoEndpoint() throws {
        var context = Build.context()
        guard case .send(nil, nil) = try Build.run([.send(SendMediator())], on: &context) else {
            Issue.record("expected a bare send")
            return
        }
    }
}
