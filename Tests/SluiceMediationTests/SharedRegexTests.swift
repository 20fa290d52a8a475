import Testing

@testable import SluiceMediation

/// Filter and property patterns match the whole text (Java `Matcher.matches`); patterns without metacharacters
/// take the equality shortcut and must agree with the regex engine.
@Suite struct SharedRegexTests {
    @Test(arguments: [
        ("PRODUCTION", "PRODUCTION", true),
        ("PRODUCTION", "PRODUCTIONX", false),
        ("PRODUCTION", "production", false),
        ("PRODUCTION", "", false),
        ("SAND BOX", "SAND BOX", true),
        ("PROD.*", "PRODUCTION", true),
        ("PROD.*", "SANDBOX", false),
        ("a|b", "b", true),
        ("x\\.y", "x.y", true),
        ("x\\.y", "xzy", false),
        ("caf\u{E9}", "cafe\u{301}", true),
    ])
    func wholeTextMatching(_ pattern: String, _ text: String, _ expected: Bool) throws {
        let regex = try SharedRegex(pattern, location: nil)
        #expect(regex.matches(text) == expected)
        #expect((regex.wholeMatch(text) != nil) == expected)
    }
}
