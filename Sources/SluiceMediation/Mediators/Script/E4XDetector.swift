/// Recognises ECMAScript for XML (E4X) in a script that did not compile. Synapse ran JavaScript with Rhino, which
/// reads E4X: XML literals (`mc.setPayloadXML(<m:getQuote>…</m:getQuote>)`), `{expression}` inside them, and the
/// `..` / `::` selectors (`mc.getPayloadXML()..*::Code`). ECMAScript 5 engines, duktape included, do not, and E4X
/// was withdrawn from the standard; such a script is refused with that reason rather than a bare syntax error.
enum E4XDetector {
    /// True when `source` holds an E4X selector or an XML literal.
    static func usesE4X(_ source: String) -> Bool {
        source.contains(selector) || source.contains(literal)
    }

    /// The refusal given for a script using E4X.
    static func refusal(script name: String) -> String {
        "script '\(name)' uses E4X (XML literals, `..` and `::` selectors), which Synapse's Rhino engine reads and "
            + "Sluice's JavaScript engine (ECMAScript 5.1, as E4X was withdrawn from the language) does not; build the "
            + "XML with payloadFactory or xslt, or work on mc.getPayloadJSON() and mc.getPayloadXML().toString()"
    }

    /// `x..name`, `x..*`, `ns::name`, `*::name`.
    nonisolated(unsafe) private static let selector = /\.\.[*A-Za-z_@]|(\*|[A-Za-z_]\w*)::[*A-Za-z_]/
    /// An XML element literal where an expression starts: `(<a`, `= <m:b `, `return <c>`.
    nonisolated(unsafe) private static let literal = /(^|[(=,:?]|return)\s*<[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?[\s>\/]/
}
