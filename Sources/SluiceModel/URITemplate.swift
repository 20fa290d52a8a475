/// A resource `uri-template`, read as Synapse's `URITemplate` reads it: literal text and RFC 6570 expressions,
/// e.g. `/orders/{id}`, `/files/{+path}`, `/view/{symbol}?x={x}`, `/admin{.action,sub}`, `/newtest*`.
///
/// The template is a list of nodes. Expressions take the simple form `{a}` or one of the operators `+`, `#`, `.`,
/// `/` (which Synapse accepts) and `;`, `?`, `&` (a Sluice extension: Synapse refuses them); each holds a list of
/// variables (`{a,b}`), a variable optionally limited to a prefix length (`{a:3}`). A literal ending in `*`
/// takes the rest of the request path and query. As in Synapse, one trailing `/` of the template is ignored and
/// the template matches the path *and query* as text (see `docs/compatibility.md`); the gateway's
/// `URITemplateMatcher` does the matching.
public struct URITemplate: Sendable, Hashable, CustomStringConvertible {
    /// The template exactly as written.
    public let raw: String
    /// Literal text and expressions, in order.
    public let nodes: [Node]
    /// True when a literal holds `?` or an expression binds query parameters: the request's query must then match
    /// the template; otherwise any query may follow a matching path.
    public let hasQueryTemplate: Bool

    /// One piece of the template.
    public enum Node: Sendable, Hashable {
        case literal(String)
        case expression(Expression)
    }

    /// `{op var1,var2}`.
    public struct Expression: Sendable, Hashable {
        public var kind: Operator
        public var variables: [Variable]

        public init(kind: Operator, variables: [Variable]) {
            self.kind = kind
            self.variables = variables
        }
    }

    /// The RFC 6570 operator of an expression.
    public enum Operator: Character, Sendable, Hashable, CaseIterable {
        /// `{a}`: stops at the next reserved character.
        case simple = "\u{0}"
        /// `{+a}`: reserved characters allowed; stops only at the next literal's first character.
        case reserved = "+"
        /// `{#a}`: `#` then as `{+a}`.
        case fragment = "#"
        /// `{.a}`: `.` then the values separated by `.`.
        case label = "."
        /// `{/a}`: `/` then the values separated by `/`.
        case pathSegment = "/"
        /// `{;a}`: `;a=value` path parameters (Sluice extension).
        case pathParameter = ";"
        /// `{?a}`: query parameters `a`, wherever they are in the query (Sluice extension).
        case query = "?"
        /// `{&a}`: as `{?a}` after a literal query part (Sluice extension).
        case queryContinuation = "&"

        /// True for the operators Synapse's `URITemplate` itself accepts.
        public var isSynapseOperator: Bool {
            switch self {
            case .simple, .reserved, .fragment, .label, .pathSegment: true
            case .pathParameter, .query, .queryContinuation: false
            }
        }
    }

    /// A variable of an expression: `name` or `name:prefixLength`.
    public struct Variable: Sendable, Hashable {
        public var name: String
        /// `{a:3}`: Synapse matches only values of exactly this length.
        public var prefixLength: Int?

        public init(name: String, prefixLength: Int? = nil) {
            self.name = name
            self.prefixLength = prefixLength
        }
    }

    /// Parses a template.
    /// - Throws: `URITemplateError` naming the offending character position.
    public init(_ raw: String) throws(URITemplateError) {
        self.raw = raw
        guard raw.first == "/" || raw == "*" else {
            throw URITemplateError(template: raw, offset: 0, reason: "must start with '/'")
        }
        // Synapse ignores one trailing slash of the template (the request's own trailing slash is tolerated).
        let text = raw != "/" && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        nodes = try Self.parse(text, template: raw)
        hasQueryTemplate = nodes.contains { node in
            switch node {
            case .literal(let literal): literal.contains("?")
            case .expression(let expression): expression.kind == .query || expression.kind == .queryContinuation
            }
        }
    }

    public var description: String { raw }

    /// Every variable name the template binds, in order of first appearance.
    public var variableNames: [String] {
        var names: [String] = []
        for case .expression(let expression) in nodes {
            for variable in expression.variables where !names.contains(variable.name) { names.append(variable.name) }
        }
        return names
    }

    // MARK: - Parsing

    private static func parse(_ text: String, template: String) throws(URITemplateError) -> [Node] {
        var nodes: [Node] = []
        var literal = ""
        var expressionStart: Int?
        var expressionText = ""
        for (offset, character) in text.enumerated() {
            if let start = expressionStart {
                switch character {
                case "}":
                    nodes.append(.expression(try expression(expressionText, template: template, offset: start)))
                    expressionStart = nil
                    expressionText = ""
                case "{":
                    throw URITemplateError(template: template, offset: offset, reason: "'{' inside an expression")
                default:
                    expressionText.append(character)
                }
                continue
            }
            switch character {
            case "{":
                if !literal.isEmpty {
                    nodes.append(.literal(literal))
                    literal = ""
                }
                expressionStart = offset
            case "}":
                throw URITemplateError(template: template, offset: offset, reason: "'}' without '{'")
            default:
                literal.append(character)
            }
        }
        if let start = expressionStart {
            // Synapse reads an unclosed final expression as if it were closed; we refuse it.
            throw URITemplateError(template: template, offset: start, reason: "unclosed '{'")
        }
        if !literal.isEmpty { nodes.append(.literal(literal)) }
        try checkQueryExpressionsEnd(nodes, template: template)
        return nodes
    }

    private static func expression(
        _ text: String,
        template: String,
        offset: Int
    ) throws(URITemplateError) -> Expression {
        guard let first = text.first else {
            throw URITemplateError(template: template, offset: offset, reason: "empty expression '{}'")
        }
        var kind = Operator.simple
        var body = Substring(text)
        if let found = Operator(rawValue: first), found != .simple {
            kind = found
            body = body.dropFirst()
        } else if "=!@|".contains(first) {
            throw URITemplateError(
                template: template,
                offset: offset + 1,
                reason: "operator '\(first)' is reserved by RFC 6570 and not supported"
            )
        }
        var variables: [Variable] = []
        // As Synapse: a trailing comma is ignored, an empty name between commas is not.
        var names = body.split(separator: ",", omittingEmptySubsequences: false)
        if names.count > 1, names.last?.isEmpty == true { names.removeLast() }
        for name in names {
            variables.append(try variable(name, template: template, offset: offset + 1))
        }
        return Expression(kind: kind, variables: variables)
    }

    private static func variable(_ text: Substring, template: String, offset: Int) throws(URITemplateError) -> Variable {
        var name = text
        var prefixLength: Int?
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            guard let length = Int(text[text.index(after: colon)...]), length > 0 else {
                throw URITemplateError(
                    template: template,
                    offset: offset,
                    reason: "invalid prefix length in '{\(text)}' (expected a positive number after ':')"
                )
            }
            prefixLength = length
        }
        guard !name.isEmpty else {
            throw URITemplateError(template: template, offset: offset, reason: "empty variable name")
        }
        for character in name where !Self.isVariableCharacter(character) {
            throw URITemplateError(
                template: template,
                offset: offset,
                reason: "invalid character '\(character)' in variable name"
            )
        }
        return Variable(name: String(name), prefixLength: prefixLength)
    }

    /// Synapse's variable characters: ASCII letters and digits, `.`, `-` and `_`.
    private static func isVariableCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// `{?a}` and `{&a}` bind from the whole rest of the query, so nothing may follow them.
    private static func checkQueryExpressionsEnd(_ nodes: [Node], template: String) throws(URITemplateError) {
        for (index, node) in nodes.enumerated() {
            guard case .expression(let expression) = node,
                expression.kind == .query || expression.kind == .queryContinuation,
                index != nodes.count - 1
            else { continue }
            throw URITemplateError(
                template: template,
                offset: template.count - 1,
                reason: "'{\(expression.kind.rawValue)...}' must end the template"
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
