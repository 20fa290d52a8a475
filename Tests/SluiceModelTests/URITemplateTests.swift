import SluiceModel
import Testing

@Suite struct URITemplateTests {
    @Test func splitsLiteralsVariablesAndQuery() throws {
        let template = try URITemplate("/orders/{id}/items?status={state}&lang=en")
        #expect(template.pathParts == [.literal("/orders/"), .variable("id"), .literal("/items")])
        #expect(
            template.queryParts == [
                .init(parameter: "status", variable: "state", literal: nil),
                .init(parameter: "lang", variable: nil, literal: "en"),
            ]
        )
        #expect(template.variableNames == ["id", "state"])
        #expect(template.description == "/orders/{id}/items?status={state}&lang=en")
    }

    @Test func trailingWildcard() throws {
        #expect(try URITemplate("/orders/{id}/*").pathParts == [.literal("/orders/"), .variable("id"), .wildcard])
        #expect(try URITemplate("/*").pathParts == [.wildcard])
    }

    @Test(arguments: [
        ("orders/{id}", "must start with '/'"),
        ("/orders/{id", "unclosed '{'"),
        ("/orders/id}", "'}' without '{'"),
        ("/orders/{}", "empty variable name"),
        ("/orders/{+id}", "operator '+' is RFC 6570 level 2+"),
        ("/orders/{a b}", "invalid character ' ' in variable name"),
        ("/orders/{a}{b}", "two variables without a separator"),
        ("/orders/*/items", "'*' is allowed only as the last segment"),
        ("/orders?status", "query part must be name={var}"),
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
    @Test(arguments: [
        ("/menu", URLMapping.exact("/menu")),
        ("/items/*", URLMapping.prefix("/items")),
        ("/*", URLMapping.prefix("")),
        ("*.json", URLMapping.pathExtension("json")),
    ])
    func parsesAndPrints(raw: String, expected: URLMapping) throws {
        let mapping = try URLMapping(raw)
        #expect(mapping == expected)
        #expect(mapping.description == raw)
    }

    @Test(arguments: ["", "menu", "/a/*/b", "*.", "/a*"])
    func rejects(raw: String) {
        #expect(throws: URLMappingError.self) { _ = try URLMapping(raw) }
    }
}
