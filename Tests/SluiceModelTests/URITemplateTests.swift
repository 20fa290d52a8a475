import SluiceModel
import Testing

/// Synapse's `URITemplateParser`: literal text and `{...}` expressions with an operator and a variable list.
@Suite struct URITemplateTests {
    @Test func splitsLiteralsAndExpressions() throws {
        let template = try URITemplate("/orders/{id}/items?status={state}&lang=en")
        #expect(
            template.nodes == [
                .literal("/orders/"), .expression(.init(kind: .simple, variables: [.init(name: "id")])),
                .literal("/items?status="), .expression(.init(kind: .simple, variables: [.init(name: "state")])),
                .literal("&lang=en"),
            ]
        )
        #expect(template.hasQueryTemplate)
        #expect(template.variableNames == ["id", "state"])
        #expect(template.description == "/orders/{id}/items?status={state}&lang=en")
        #expect(try !URITemplate("/orders/{id}").hasQueryTemplate)
    }

    @Test func operatorsVariableListsAndPrefixes() throws {
        let template = try URITemplate("/a{+path}{#f}{.x,y}{/s}{;p}/{code:3}{?q,r}")
        let kinds = template.nodes.compactMap { node -> URITemplate.Operator? in
            if case .expression(let expression) = node { return expression.kind }
            return nil
        }
        #expect(kinds == [.reserved, .fragment, .label, .pathSegment, .pathParameter, .simple, .query])
        #expect(template.variableNames == ["path", "f", "x", "y", "s", "p", "code", "q", "r"])
        #expect(template.nodes.contains(.expression(.init(kind: .simple, variables: [.init(name: "code", prefixLength: 3)]))))
        #expect(URITemplate.Operator.allCases.filter(\.isSynapseOperator) == [.simple, .reserved, .fragment, .label, .pathSegment])
    }

    @Test func synapseQuirksOfTheParser() throws {
        // One trailing slash of the template is ignored; a trailing comma in a list too; `*` is literal text.
        #expect(try URITemplate("/orders/").nodes == [.literal("/orders")])
        #expect(try URITemplate("/").nodes == [.literal("/")])
        #expect(try URITemplate("/x/{a,}").variableNames == ["a"])
        #expect(try URITemplate("/a/*/b*").nodes == [.literal("/a/*/b*")])
        // Two expressions side by side are accepted, as Synapse accepts them.
        #expect(try URITemplate("/{a}{b}").variableNames == ["a", "b"])
        #expect(try URITemplate("/{order-id}").variableNames == ["order-id"])
    }

    @Test(arguments: [
        ("orders/{id}", "must start with '/'"),
        ("/orders/{id", "unclosed '{'"),
        ("/orders/id}", "'}' without '{'"),
        ("/orders/{a{b}}", "'{' inside an expression"),
        ("/orders/{}", "empty expression"),
        ("/orders/{,a}", "empty variable name"),
        ("/orders/{=a}", "operator '=' is reserved"),
        ("/orders/{a b}", "invalid character ' ' in variable name"),
        ("/orders/{a*}", "invalid character '*' in variable name"),
        ("/orders/{a:0}", "invalid prefix length"),
        ("/orders/{a:x}", "invalid prefix length"),
        ("/orders{?q}/x", "must end the template"),
    ])
    func rejects(template: String, reason: String) {
        #expect {
            _ = try URITemplate(template)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}

@Suite struct URLMappingTests {
    /// Synapse's `URLMappingHelper`: `/path/*` prefix, `*.ext` extension, anything else exact (one trailing slash
    /// dropped, `*` kept as a literal); `description` is its `getString()`.
    @Test(arguments: [
        ("/menu", URLMapping.exact("/menu"), "/menu"),
        ("/menu/", URLMapping.exact("/menu"), "/menu"),
        ("/", URLMapping.exact("/"), "/"),
        ("/items/*", URLMapping.prefix("/items"), "/items/*"),
        ("/*", URLMapping.prefix(""), "/*"),
        ("*.json", URLMapping.pathExtension("json"), "*.json"),
        ("/foo*", URLMapping.exact("/foo*"), "/foo*"),
        ("/a/*/b", URLMapping.exact("/a/*/b"), "/a/*/b"),
    ])
    func parsesAndPrints(raw: String, expected: URLMapping, printed: String) throws {
        let mapping = try URLMapping(raw)
        #expect(mapping == expected)
        #expect(mapping.description == printed)
    }

    /// Synapse accepts these too, but they could never match a request.
    @Test(arguments: ["", "menu", "*."])
    func rejects(raw: String) {
        #expect(throws: URLMappingError.self) { _ = try URLMapping(raw) }
    }
}
