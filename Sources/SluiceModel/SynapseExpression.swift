/// A Synapse expression as written in `expression="..."`, `source="..."` or `xpath="..."` attributes.
///
/// Common shorthand forms are recognised at parse time so the gateway evaluates them without an XPath engine;
/// everything else is kept as XPath 1.0 text (with Synapse's `$ctx:`/`$trp:`... variables and `get-property`
/// available inside it) for the mediation runtime to compile.
public struct SynapseExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression exactly as written.
    public let source: String
    /// Namespace prefixes in scope where the expression was written (`xmlns:ns="..."`), for XPath.
    public let namespaces: [String: String]
    public let kind: Kind

    public indirect enum Kind: Sendable, Hashable {
        /// `$ctx:name` or `get-property('name')`: a default-scope message-context property.
        case property(scope: PropertyScope, name: String)
        /// `$url:name`: a query parameter of the request URL.
        case urlParameter(String)
        /// `$body`: the SOAP body, or the payload of a REST message.
        case body
        /// `$header`: the SOAP header.
        case soapHeader
        /// `json-eval(<JSONPath>)`: a JSONPath over the JSON payload.
        case jsonPath(String)
        /// Anything else: an XPath 1.0 expression.
        case xpath(String)
        /// `${...}`: a Synapse Expression of WSO2 Micro Integrator 4.4 (the text between `${` and `}`), which the
        /// mediation runtime parses and compiles.
        case synapse(String)
    }

    public init(source: String, namespaces: [String: String] = [:], kind: Kind) {
        self.source = source
        self.namespaces = namespaces
        self.kind = kind
    }

    /// Parses an expression attribute.
    /// - Throws: `SynapseExpressionError` for empty or syntactically broken expressions.
    public init(parsing text: String, namespaces: [String: String] = [:]) throws(SynapseExpressionError) {
        self.source = text
        self.namespaces = namespaces
        self.kind = try Self.classify(text.trimmingWhitespace())
    }

    public var description: String { source }

    // MARK: - Classification

    private static func classify(_ text: String) throws(SynapseExpressionError) -> Kind {
        guard !text.isEmpty else { throw SynapseExpressionError(expression: text, reason: "empty expression") }
        // Synapse's own rule (SynapsePathFactory): a value that starts with `${` and ends with `}` is a Synapse
        // Expression, anything else keeps its old meaning.
        if text.hasPrefix("${") && text.hasSuffix("}") && text.count >= 3 {
            return .synapse(String(text.dropFirst(2).dropLast()))
        }
        try checkBalanced(text)
        if let name = text.dropPrefix("$ctx:"), name.isSimpleName {
            return .property(scope: .default, name: name)
        }
        if let name = text.dropPrefix("$trp:"), name.isSimpleName {
            return .property(scope: .transport, name: name)
        }
        if let name = text.dropPrefix("$axis2:"), name.isSimpleName {
            return .property(scope: .axis2, name: name)
        }
        if let name = text.dropPrefix("$url:"), name.isSimpleName {
            return .urlParameter(name)
        }
        if let name = text.dropPrefix("$func:"), name.isSimpleName {
            return .property(scope: .function, name: name)
        }
        if text == "$body" { return .body }
        if text == "$header" { return .soapHeader }
        if let inner = text.functionArgument(named: "json-eval") {
            let path = inner.trimmingWhitespace()
            guard !path.isEmpty else {
                throw SynapseExpressionError(expression: text, reason: "json-eval needs a JSONPath")
            }
            return .jsonPath(path)
        }
        if let inner = text.functionArgument(named: "get-property"),
            let arguments = inner.quotedArguments()
        {
            switch arguments.count {
            case 1:
                return .property(scope: .default, name: arguments[0])
            case 2:
                guard let scope = PropertyScope(rawValue: arguments[0].lowercased()) else {
                    // get-property('SYSTEM_DATE', 'yyyy-MM-dd') and similar: a name plus a format argument.
                    return .xpath(text)
                }
                return .property(scope: scope, name: arguments[1])
            default:
                throw SynapseExpressionError(expression: text, reason: "get-property takes one or two arguments")
            }
        }
        return .xpath(text)
    }

    private static func checkBalanced(_ text: String) throws(SynapseExpressionError) {
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth < 0 {
                    throw SynapseExpressionError(expression: text, reason: "unbalanced '\(character)'")
                }
            default: break
            }
        }
        if quote != nil { throw SynapseExpressionError(expression: text, reason: "unterminated string literal") }
        if depth != 0 { throw SynapseExpressionError(expression: text, reason: "unbalanced parentheses") }
    }
}

/// The scopes of Synapse's `property` mediator and `get-property` function.
public enum PropertyScope: String, Sendable, Hashable, CaseIterable {
    case `default`
    /// HTTP headers of the current message.
    case transport
    /// Axis2 message-context properties: `HTTP_SC`, `REST_URL_POSTFIX`, `messageType`...
    case axis2
    case axis2Client = "axis2-client"
    case operation
    case registry
    case system
    case env
    /// `func`: the parameters of the template being run (`$func:name`, `get-property('func', 'name')`).
    case function = "func"
}

/// An expression that cannot be parsed.
public struct SynapseExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var expression: String
    public var reason: String

    public var description: String { "invalid expression '\(expression)': \(reason)" }
}

// MARK: - Small string helpers (no Foundation needed)

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    fileprivate var isSimpleName: Bool {
        !isEmpty && allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
    }

    /// `name( ... )` spanning the whole string: the text between the outer parentheses.
    fileprivate func functionArgument(named name: String) -> String? {
        guard hasPrefix(name), last == ")" else { return nil }
        let afterName = dropFirst(name.count).drop(while: { $0 == " " })
        guard afterName.first == "(" else { return nil }
        // Make sure the first '(' closes at the very end, so `f(a) or g(b)` is not taken for one call.
        var depth = 0
        var quote: Character?
        for (offset, character) in afterName.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" { quote = character }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth == 0 && offset != afterName.count - 1 { return nil }
            }
        }
        return String(afterName.dropFirst().dropLast())
    }

    /// `'a', 'b'` → `["a", "b"]`; nil when an argument is not a quoted literal.
    fileprivate func quotedArguments() -> [String]? {
        var result: [String] = []
        var rest = Substring(self).drop(while: { $0 == " " })
        while !rest.isEmpty {
            guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { return nil }
            result.append(String(rest[..<end]))
            rest = rest[rest.index(after: end)...].drop(while: { $0 == " " })
            if rest.first == "," { rest = rest.dropFirst().drop(while: { $0 == " " }) } else if !rest.isEmpty {
                return nil
            }
        }
        return result
    }
}
