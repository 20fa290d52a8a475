import SluiceMediation
import Testing

@Suite struct JSONPathTests {
    static let document = """
        {"store":{"book":[{"title":"A","price":8},{"title":"B","price":12,"isbn":"x"}],
        "bicycle":{"color":"red","price":19}},"a b":{"c":1}}
        """

    @Test(arguments: [
        ("$.store.bicycle.color", "\"red\""),
        ("$['store']['bicycle']['price']", "19"),
        ("$.store.book[1].title", "\"B\""),
        ("$.store.book[-1].title", "\"B\""),
        ("$.store.book[*].title", "[\"A\",\"B\"]"),
        ("$..price", "[8,12,19]"),
        ("$.store.book[0,1].price", "[8,12]"),
        ("$['a b'].c", "1"),
        ("$.store.bicycle.*", "[\"red\",19]"),
        ("store.bicycle.color", "\"red\""),
        ("$..isbn", "[\"x\"]"),
    ])
    func selects(path: String, expected: String) throws {
        let root = try JSONParser.parse(Self.document)
        let result = try JSONPath(path).evaluate(in: root)
        #expect(result?.description == expected)
    }

    @Test func missingPathSelectsNothing() throws {
        let root = try JSONParser.parse(Self.document)
        #expect(try JSONPath("$.store.car").evaluate(in: root) == nil)
        #expect(try JSONPath("$.store.book[5]").evaluate(in: root) == nil)
        #expect(try JSONPath("$..nothing").evaluate(in: root) == nil)
    }

    /// SynapseJsonPath drops one trailing '.', so `$.` selects the whole payload as `$` does.
    @Test func aTrailingDotIsDroppedAsSynapseDrops() throws {
        let root = try JSONParser.parse(Self.document)
        #expect(try JSONPath("$.").evaluate(in: root) == root)
        #expect(try JSONPath("$.").steps.isEmpty)
        #expect(try JSONPath("$.store.").evaluate(in: root) == JSONPath("$.store").evaluate(in: root))
    }

    @Test(arguments: ["$.book[(@.length-1)]", "$.book[0:2]", "$..", "$['unterminated]", "$.a[?(@.b ==)]", "$.a[?(@.b > 1]",
        "$.a[?(1)]", "$.a[?(@.b =~ /[/)]", "$.a[?(@.b all [1])]", "$.a[?(@.b like 1)]"])
    func rejectsUnsupportedSyntax(path: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(path) }
    }
}
