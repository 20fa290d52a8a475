import SluiceModel

/// A regex compiled at deploy time and shared by every event loop.
///
/// `Regex` is not `Sendable` only because its output type could hold anything; the regex itself is immutable
/// and its lazily lowered program is initialised atomically, and we lower it here, before sharing.
struct SharedRegex: @unchecked Sendable {
    let source: String
    private let regex: Regex<AnyRegexOutput>
    /// The pattern itself when it has no metacharacter (`regex="PRODUCTION"` in every published API's key-type
    /// filter): whole-text matching is then plain equality, far cheaper than running the regex engine.
    private let literal: String?

    /// Compiles `text`.
    /// - Throws: `MediationCompileError.invalidRegex`.
    init(_ text: String, location: SourceLocation?) throws(MediationCompileError) {
        do {
            regex = try Regex(text)
        } catch {
            throw MediationCompileError(.invalidRegex(text, reason: String(describing: error)), location: location)
        }
        source = text
        literal = text.unicodeScalars.contains { "\\^$.|?*+()[]{}".unicodeScalars.contains($0) } ? nil : text
        _ = "".wholeMatch(of: regex)
    }

    /// The whole-text match (Java `Matcher.matches`), or nil.
    func wholeMatch(_ text: String) -> Regex<AnyRegexOutput>.Match? {
        text.wholeMatch(of: regex)
    }

    /// True when the regex matches somewhere in the text (JSON Schema's `pattern`, which is not anchored).
    func occurs(in text: String) -> Bool {
        text.firstMatch(of: regex) != nil
    }

    /// True when the whole text matches.
    func matches(_ text: String) -> Bool {
        if let literal { return text == literal }
        return wholeMatch(text) != nil
    }
}
