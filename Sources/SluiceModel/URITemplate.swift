/// A resource `uri-template` (RFC 6570 level 1: `{name}` simple expansions), e.g. `/orders/{id}?status={s}`.
///
/// The path part is a list of literal text, variables and an optional trailing `/*`; the query part binds
/// query parameters to variables. Variables bind to `uri.var.<name>` at dispatch time.
public struct URITemplate: Sendable, Hashable, CustomStringConvertible {
    /// The template exactly as written.
    public let raw: String
    /// The path part split into literal text and variables.
    public let pathParts: [Part]
    /// `?name={var}` pairs of the query part, in order.
    public let queryParts: [QueryPart]

    public enum Part: Sendable, Hashable {
        case literal(String)
        case variable(String)
        /// A trailing `/*` (or a lone `*` segment): any rest of the path.
        case wildcard
    }

    public struct QueryPart: Sendable, Hashable {
        public var parameter: String
        /// The variable bound to the parameter's value, or nil when the template fixes a literal value.
        public var variable: String?
        public var literal: String?

        public init(parameter: String, variable: String? = nil, literal: String? = nil) {
            self.parameter = parameter
            self.variable = variable
            self.literal = literal
        }
    }

    /// Parses a template.
    /// - Throws: `URITemplateError` naming the offending character position.
    public init(_ raw: String) throws(URITemplateError) {
        self.raw = raw
        guard raw.first == "/" else {
            throw URITemplateError(template: raw, offset: 0, reason: "must start with '/'")
        }
        let (path, query) = Self.splitQuery(raw)
        self.pathParts = try Self.parsePath(path, template: raw)
        self.queryParts = try Self.parseQuery(query, template: raw, offset: path.count + 1)
    }

    public var description: String { raw }

    /// Every variable name the template binds, in order.
    public var variableNames: [String] {
        pathParts.compactMap { if case .variable(let name) = $0 { name } else { nil } }
            + queryParts.compactMap(\.variable)
    }

    // MARK: - Parsing

    private static func splitQuery(_ raw: String) -> (Substring, Substring?) {
        guard let mark = raw.firstIndex(of: "?") else { return (raw[...], nil) }
        return (raw[..<mark], raw[raw.index(after: mark)...])
    }

    private static func parsePath(_ path: Substring, template: String) throws(URITemplateError) -> [Part] {
        var parts: [Part] = []
        var literal = ""
        var index = path.startIndex
        func offset(_ i: Substring.Index) -> Int { path.distance(from: path.startIndex, to: i) }
        while index < path.endIndex {
            let character = path[index]
            switch character {
            case "{":
                guard let close = path[index...].firstIndex(of: "}") else {
                    throw URITemplateError(template: template, offset: offset(index), reason: "unclosed '{'")
                }
                let name = path[path.index(after: index)..<close]
                try validateVariable(name, template: template, offset: offset(index) + 1)
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                }
                if case .variable? = parts.last {
                    throw URITemplateError(
                        template: template,
                        offset: offset(index),
                        reason: "two variables without a separator cannot be told apart"
                    )
                }
                parts.append(.variable(String(name)))
                index = path.index(after: close)
            case "}":
                throw URITemplateError(template: template, offset: offset(index), reason: "'}' without '{'")
            case "*":
                let next = path.index(after: index)
                guard next == path.endIndex, literal.hasSuffix("/") || (literal.isEmpty && parts.isEmpty) else {
                    throw URITemplateError(
                        template: template,
                        offset: offset(index),
                        reason: "'*' is allowed only as the last segment ('/*')"
                    )
                }
                literal.removeLast()
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.wildcard)
                index = next
            default:
                literal.append(character)
                index = path.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    private static func parseQuery(
        _ query: Substring?,
        template: String,
        offset base: Int
    ) throws(URITemplateError) -> [QueryPart] {
        guard let query, !query.isEmpty else { return [] }
        var result: [QueryPart] = []
        var position = base
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            defer { position += pair.count + 1 }
            guard let equals = pair.firstIndex(of: "="), !pair[..<equals].isEmpty else {
                throw URITemplateError(template: template, offset: position, reason: "query part must be name={var}")
            }
            let name = String(pair[..<equals])
            let value = pair[pair.index(after: equals)...]
            if value.first == "{" {
                guard value.last == "}", value.count >= 2 else {
                    throw URITemplateError(template: template, offset: position, reason: "unclosed '{'")
                }
                let variable = value.dropFirst().dropLast()
                try validateVariable(variable, template: template, offset: position + name.count + 2)
                result.append(QueryPart(parameter: name, variable: String(variable), literal: nil))
            } else {
                if value.contains("{") || value.contains("}") {
                    throw URITemplateError(template: template, offset: position, reason: "misplaced brace")
                }
                result.append(QueryPart(parameter: name, variable: nil, literal: String(value)))
            }
        }
        return result
    }

    private static func validateVariable(
        _ name: Substring,
        template: String,
        offset: Int
    ) throws(URITemplateError) {
        guard let first = name.first else {
            throw URITemplateError(template: template, offset: offset, reason: "empty variable name")
        }
        if "+#./;?&=,!@|".contains(first) {
            throw URITemplateError(
                template: template,
                offset: offset,
                reason: "operator '\(first)' is RFC 6570 level 2+; only level-1 {name} variables are supported"
            )
        }
        for character in name where !(character.isLetter || character.isNumber || character == "_" || character == ".")
        {
            throw URITemplateError(
                template: template,
                offset: offset,
                reason: "invalid character '\(character)' in variable name"
            )
        }
    }
}

/// A `uri-template` that cannot be parsed.
public struct URITemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var template: String
    /// 0-based character offset into the template.
    public var offset: Int
    public var reason: String

    public var description: String { "invalid uri-template '\(template)' at offset \(offset): \(reason)" }
}
