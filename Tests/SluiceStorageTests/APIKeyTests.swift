import SluiceStorage
import Testing

/// Every spelling of an API's context names the same key; the shortcut for already normal contexts agrees with
/// the general rule.
@Suite struct APIKeyTests {
    @Test(arguments: [
        ("/pizzashack/1.0.0", "1.0.0", "/pizzashack"),
        ("/pizzashack", "1.0.0", "/pizzashack"),
        ("/pizzashack/{version}", "1.0.0", "/pizzashack"),
        ("/{version}/pizzashack", "1.0.0", "/pizzashack"),
        ("pizzashack/1.0.0/", "1.0.0", "/pizzashack"),
        ("//a//b/", "2", "/a/b"),
        ("/a/b/2", "2", "/a/b"),
        ("/a/x2", "2", "/a/x2"),
        ("/1.0.0", "1.0.0", "/"),
        ("/", "1.0.0", "/"),
        ("", "1.0.0", "/"),
        ("/a/1.0.0", "", "/a/1.0.0"),
        ("/t/caf\u{E9}", "cafe\u{301}", "/t"),
        ("/shop/v1/orders", "v1", "/shop/v1/orders"),
    ])
    func contextsNormalize(_ context: String, _ version: String, _ expected: String) {
        let key = APIKey(context: context, version: version)
        #expect(key.context == expected)
        #expect(key.version == version)
    }

    @Test func spellingsNameTheSameKey() {
        let keys = Set([
            APIKey(context: "/pizzashack/1.0.0", version: "1.0.0"),
            APIKey(context: "/pizzashack", version: "1.0.0"),
            APIKey(context: "/pizzashack/{version}", version: "1.0.0"),
        ])
        #expect(keys.count == 1)
    }
}
