import SluiceMediation
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}", "{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}"),
        ("  [ 1.5e3 , -0 ]  ", "[1.5e3,-0]"),
        ("\"\\u00e9\\n\\\"q\\\"\"", "\"é\\n\\\"q\\\"\""),
        ("{\"z\":1,\"a\":2}", "{\"z\":1,\"a\":2}"),
        ("\"\\ud83d\\ude00\"", "\"😀\""),
    ])
    func roundTrips(input: String, expected: String) throws {
        #expect(try JSONParser.parse(input).description == expected)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "tru", "\"abc", "1 2", "{\"a\":1,}"])
    func rejectsMalformedJSON(input: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
    }

    @Test func keepsMemberOrderAndLastDuplicateWins() throws {
        let value = try JSONParser.parse("{\"b\":1,\"a\":2,\"b\":3}")
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .number("3"))
    }
}
