import Foundation
import SluiceModel
import SluiceStorage

/// WSO2's API search syntax: `attribute:value` tokens joined by spaces (all must match); a bare term matches
/// the name; `*` is a wildcard; a quoted value (`provider:"admin"`) must match exactly; other values match
/// anywhere in the attribute, ignoring case.
///
/// Anonymous callers may search, so the cost is bounded: the query is at most ``maximumLength`` characters and
/// every term is matched in time linear in the value (``WildcardPattern``).
package struct APISearchQuery: Sendable {
    /// The attributes a query may use.
    package static let attributes: Set<String> = ["name", "version", "context", "status", "description", "provider", "tag"]
    /// The longest query accepted, in characters (WSO2's portals send far shorter ones).
    package static let maximumLength = 400

    struct Term: Sendable, Hashable {
        var attribute: String
        var pattern: String
        var exact: Bool
        var matcher: WildcardPattern
    }

    var terms: [Term]
    /// Counts the byte comparisons of every match, for the regression test that holds search to a budget.
    private let work: SearchWorkCounter?

    /// Parses a query.
    /// - Parameters:
    ///   - text: The query.
    ///   - work: Where the comparisons of ``matches(_:)`` are added up.
    /// - Throws: ``ManagementError`` 400 for an overlong query, an unknown attribute or an empty value.
    package init(_ text: String, work: SearchWorkCounter? = nil) throws(ManagementError) {
        guard text.utf8.count <= Self.maximumLength || text.count <= Self.maximumLength else {
            throw ManagementError.badRequest("The search query is longer than \(Self.maximumLength) characters")
        }
        self.work = work
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
            let pattern = value.lowercased()
            let anchoring: WildcardPattern.Anchoring = exact || pattern.contains("*") ? .whole : .anywhere
            terms.append(
                Term(
                    attribute: attribute,
                    pattern: pattern,
                    exact: exact,
                    matcher: WildcardPattern(pattern, anchoring: anchoring)
                )
            )
        }
        self.terms = terms
    }

    /// Whether the API matches every term.
    package func matches(_ api: APIRecord) -> Bool {
        var steps = 0
        defer { work?.add(steps) }
        return terms.allSatisfy { term in
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
            return candidates.contains { term.matcher.matches(Array($0.lowercased().utf8), steps: &steps) }
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
