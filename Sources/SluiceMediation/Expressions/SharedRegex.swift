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

    /// Java's `String.replaceAll`: every match replaced by `replacement`, in which `$n` stands for group `n` and
    /// `\c` for the character `c`.
    func replacingAll(in text: String, with replacement: String) -> String {
        var output = ""
        var position = text.startIndex
        for match in text.matches(of: regex) {
            output += text[position..<match.range.lowerBound]
            output += Self.expand(replacement, match: match)
            position = match.range.upperBound
        }
        return output + text[position...]
    }

    private static func expand(_ replacement: String, match: Regex<AnyRegexOutput>.Match) -> String {
        var output = ""
        var characters = Substring(replacement)
        while let character = characters.popFirst() {
            if character == "\\", let escaped = characters.popFirst() {
                output.append(escaped)
            } else if character == "$", let digit = characters.first?.wholeNumberValue, digit < match.output.count {
                // Java takes further digits while they still name a group.
                var group = digit
                characters.removeFirst()
                while let next = characters.first?.wholeNumberValue, group * 10 + next < match.output.count {
                    group = group * 10 + next
                    characters.removeFirst()
                }
                output += match.output[group].substring.map(String.init) ?? ""
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// True when the whole text matches.
    func matches(_ text: String) -> Bool {
        if let literal { return text == literal }
        return wholeMatch(text) != nil
    }
}
