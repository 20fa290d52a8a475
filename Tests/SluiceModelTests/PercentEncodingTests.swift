import SluiceModel
import Testing

/// The one percent-decoder: lenient for URIs (the gateway), strict for form bodies (management API, portals).
@Suite struct PercentEncodingTests {
    @Test(arguments: [
        ("a%20b", false, "a b"), ("a+b", true, "a b"), ("a+b", false, "a+b"), ("%2B+", true, "+ "),
        ("%41%zz%4", false, "A%zz%4"), ("%%41", false, "%A"), ("%e2%82%ac", false, "€"), ("%FF", false, "\u{FFFD}"),
    ])
    func lenientDecodingKeepsMalformedEscapes(text: String, plusAsSpace: Bool, expected: String) {
        #expect(PercentEncoding.decode(text, plusAsSpace: plusAsSpace) == expected)
    }

    @Test func strictDecodingRefusesWhatFormsMayNotCarry() {
        #expect(PercentEncoding.strictDecode("a+b%2B%e2%82%ac", plusAsSpace: true) == "a b+€")
        #expect(PercentEncoding.strictDecode("a+b") == "a+b")
        for malformed in ["%", "%4", "%zz", "a%g0", "%FF", "%C3%28"] {
            #expect(PercentEncoding.strictDecode(malformed, plusAsSpace: true) == nil, "\(malformed)")
        }
    }

    @Test func encodingLeavesOnlyUnreservedCharacters() {
        #expect(PercentEncoding.encode("a b/€~") == "a%20b%2F%E2%82%AC~")
        #expect(PercentEncoding.decode(PercentEncoding.encode("x=1&y=ü")) == "x=1&y=ü")
    }
}
