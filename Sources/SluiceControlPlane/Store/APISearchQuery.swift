import Foundation
import SluiceStorage

/// WSO2's API search syntax: `attribute:value` tokens joined by spaces (all must match); a bare term matches
/// the name; `*` is a wildcard; a quoted value (`provider:"admin"`) must match exactly; other values match
/// anywhere in the attribute, ignoring case.
package struct APISearchQuery: Sendable, Hashable {
    /// The attributes a query may use.
    package static let attributes: Set<String> = ["name", "version", "context", "status", "description", "provider", "tag"]

    struct Term: Sendable, Hashable {
        var attribute: String
        var pattern: String
        var exact: Bool
    }

    var terms: [Term]

    /// Parses a query.
    /// - Throws: ``ManagementError`` 400 for an unknown attribute or an empty value.
    package init(_ text: String) throws(ManagementError) {
        var terms: [Term] = []
        for token in Self.tokens(text) {
            var attribute = "name"
            var value = token
            if let colon = token.firstIndex(of: ":") {
                attribute = token[..<colon].lowercased()
                value = String(token[token.index(after: colon)...])
                guard Self.attributes.contains(attribute) else {
                    throw ManagementError.badRequest(
                        "Unknown search attribute '\(attribute)'; "
                            + "use one of \(Self.attributes.sorted().joined(separator: ", "))"
                    )
                }
            }
            let exact = value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")
            if exact { value = String(value.dropFirst().dropLast()) }
            guard !value.isEmpty else { throw ManagementError.badRequest("The search term '\(token)' has no value") }
            terms.append(Term(attribute: attribute, pattern: value.lowercased(), exact: exact))
        }
        self.terms = terms
    }

    /// Whether the API matches every term.
    package func matches(_ api: APIRecord) -> Bool {
        terms.allSatisfy { term in
            let candidates: [String] =
                switch term.attribute {
                case "version": [api.version]
                case "context": [api.context, api.context + "/" + api.version]
                case "status": [api.lifecycleState.rawValue]
                case "description": [api.description ?? ""]
                case "provider": [api.provider]
                case "tag": api.tags
                default: [api.name]
                }
            return candidates.contains { Self.matches($0.lowercased(), term) }
        }
    }

    private static func matches(_ value: String, _ term: Term) -> Bool {
        if term.pattern.contains("*") { return wildcard(Substring(value), Substring(term.pattern)) }
        return term.exact ? value == term.pattern : value.contains(term.pattern)
    }

    /// Glob matching with `*` over the whole value.
    private static func wildcard(_ value: Substring, _ pattern: Substring) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return value == pattern }
        let prefix = pattern[..<star]
        guard value.hasPrefix(prefix) else { return false }
        let rest = pattern[pattern.index(after: star)...]
        var remainder = value.dropFirst(prefix.count)
        while true {
            if wildcard(remainder, rest) { return true }
            guard !remainder.isEmpty else { return false }
            remainder = remainder.dropFirst()
        }
    }

    /// Splits on spaces outside double quotes.
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == " " && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
