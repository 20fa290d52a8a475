import SluiceModel

/// The value an expression produced, in the form it came in.
enum ExpressionValue: Sendable {
    /// Nothing: an unset property, an absent header, a JSONPath without match.
    case none
    case property(PropertyValue)
    case json(JSONValue)
    case xpath(XPathResult)

    /// The value as text (nil for `.none`).
    var stringValue: String? {
        switch self {
        case .none: nil
        case .property(let value): value.stringValue
        case .json(let value): value.textValue
        case .xpath(let result): result.stringValue
        }
    }
}

/// A `SynapseExpression` checked and prepared at deploy time.
struct CompiledExpression: Sendable {
    enum Kind: Sendable {
        case property(PropertyScope, String)
        case urlParameter(String)
        case body
        case soapHeader
        case jsonPath(JSONPath)
        case xpath(String, namespaces: [String: String])
        case synapse(CompiledSynapseExpression)
    }

    let source: String
    let kind: Kind
    /// True when evaluating needs the message body.
    let readsBody: Bool
    /// True for an XPath naming a `$func:` variable (or being one), which a `{{path}}` template parameter makes
    /// select nodes; `get-property('func', ...)` is not one.
    private(set) var readsFunctionPaths = false

    private init(source: String, kind: Kind, readsBody: Bool) {
        self.source = source
        self.kind = kind
        self.readsBody = readsBody
    }

    /// The expression as a path over the message (`iterate`, `foreach`, `aggregate`): a JSON path or XPath as it
    /// is, and `$func:name` alone as the XPath variable it is in Synapse, selecting what a `{{path}}` template
    /// parameter selects. Nil for anything else.
    var asPath: CompiledExpression? {
        switch kind {
        case .jsonPath, .xpath:
            return self
        case .property(.function, let name):
            var path = CompiledExpression(source: source, kind: .xpath("$func:" + name, namespaces: [:]), readsBody: true)
            path.readsFunctionPaths = true
            return path
        default:
            return nil
        }
    }

    /// Prepares an expression.
    /// - Throws: `MediationCompileError.invalidExpression` for a JSONPath outside the supported subset or an
    ///   XPath that does not compile.
    init(_ expression: SynapseExpression, location: SourceLocation?) throws(MediationCompileError) {
        source = expression.source
        switch expression.kind {
        case .property(let scope, let name):
            kind = .property(scope, name)
            readsBody = false
            readsFunctionPaths = scope == .function && expression.source.trimmingWhitespace().hasPrefix("$")
        case .urlParameter(let name):
            kind = .urlParameter(name)
            readsBody = false
        case .body:
            kind = .body
            readsBody = true
        case .soapHeader:
            kind = .soapHeader
            readsBody = true
        case .jsonPath(let path):
            let compiled: JSONPath
            do {
                compiled = try JSONPath(path)
            } catch {
                throw MediationCompileError(
                    .invalidExpression(expression.source, reason: error.reason),
                    location: location
                )
            }
            kind = .jsonPath(compiled)
            readsBody = compiled.propertyRoot == nil
        case .xpath(let text):
            if let reason = XPathEngine.syntaxError(in: text) {
                throw MediationCompileError(.invalidExpression(text, reason: reason), location: location)
            }
            kind = .xpath(text, namespaces: expression.namespaces)
            readsBody = XPathEngine.touchesPayload(text)
            readsFunctionPaths = text.contains("$func:")
        case .synapse(let text):
            let compiled: CompiledSynapseExpression
            do {
                compiled = try CompiledSynapseExpression(text, namespaces: expression.namespaces)
            } catch {
                throw MediationCompileError(
                    .invalidExpression(expression.source, reason: Self.describe(error, in: expression.source)),
                    location: location
                )
            }
            kind = .synapse(compiled)
            readsBody = compiled.readsBody
        }
    }

    /// A syntax error's reason with its column counted from the start of the attribute value (`${` included).
    static func describe(_ error: SynapseExpressionSyntaxError, in source: String) -> String {
        let offset = source.firstRange(of: "${").map { source.distance(from: source.startIndex, to: $0.lowerBound) } ?? 0
        return "\(error.reason) at column \(error.column + offset + 2) of the expression"
    }

    /// The expression as XPath text (every kind but a JSON path is one in Synapse).
    var xpathText: (text: String, namespaces: [String: String])? {
        switch kind {
        case .xpath(let text, let namespaces): (text, namespaces)
        case .jsonPath, .synapse: nil
        case .property, .urlParameter, .body, .soapHeader: (source.trimmingWhitespace(), [:])
        }
    }

    /// True for `$func:name` alone.
    var isFunctionParameter: Bool {
        if case .property(.function, _) = kind { return true }
        return false
    }

    /// Evaluates the expression.
    /// - Throws: `MediationFault` when the body is needed but unreadable, or XPath evaluation fails.
    func evaluate(_ context: inout MessageContext) throws(MediationFault) -> ExpressionValue {
        switch kind {
        case .property(.function, let name):
            // `$func:name` is an XPath in Synapse: a `{{path}}` parameter selects what its path selects.
            if readsFunctionPaths, let path = context.templatePath(named: name), path.xpathText != nil, !path.isFunctionParameter {
                return try path.evaluate(&context)
            }
            return context.lookupProperty(scope: .function, name: name).map(ExpressionValue.property) ?? .none
        case .property(let scope, let name):
            return context.lookupProperty(scope: scope, name: name).map(ExpressionValue.property) ?? .none
        case .urlParameter(let name):
            return context.queryParameter(name).map { .property(.string($0)) } ?? .none
        case .body:
            if let json = try context.jsonBody(for: source) { return .json(json) }
            let text = try context.bodyText(for: source)
            guard text.contains("<") else { return text.isEmpty ? .none : .property(.string(text)) }
            return .xpath(try XPathEngine.evaluate("$body/*", namespaces: [:], payload: text, context: context))
        case .soapHeader:
            let payload = try context.xmlPayload(for: source)
            return .xpath(try XPathEngine.evaluate("$header/*", namespaces: [:], payload: payload, context: context))
        case .jsonPath(let path):
            guard let json = try Self.document(for: path, source: source, &context), let value = path.evaluate(in: json)
            else {
                return .none
            }
            return .json(value)
        case .synapse(let expression):
            return expression.value(&context).expressionValue
        case .xpath(let text, let namespaces):
            let needsDocument = readsBody || (readsFunctionPaths && context.hasTemplatePaths)
            let payload = needsDocument ? try context.xmlPayload(for: source) : nil
            return .xpath(
                try XPathEngine.evaluate(
                    text,
                    namespaces: namespaces,
                    payload: payload,
                    context: context,
                    needsDocument: needsDocument
                )
            )
        }
    }

    /// The JSON a path applies to: the payload, or the JSON text of the property a `$ctx:`/`$trp:`/`$axis2:` path
    /// names (SynapseJsonPath reads the property's string value and parses it); nil when there is none.
    private static func document(
        for path: JSONPath,
        source: String,
        _ context: inout MessageContext
    ) throws(MediationFault) -> JSONValue? {
        guard let root = path.propertyRoot else { return try context.jsonBody(for: source) }
        switch context.lookupProperty(scope: root.scope, name: root.name) {
        case .json(let json)?: return json
        case let value?: return try? JSONParser.parse(value.stringValue)
        case nil: return nil
        }
    }

    /// Evaluates to text; nil when there is no value (a Synapse Expression gives empty text then, as its
    /// `stringValueOf` does).
    func string(_ context: inout MessageContext) throws(MediationFault) -> String? {
        if case .synapse(let expression) = kind { return expression.string(&context) }
        return try evaluate(&context).stringValue
    }
}

/// A literal (`value=`) or compiled expression (`expression=`).
enum CompiledValue: Sendable {
    case literal(String)
    case expression(CompiledExpression)

    init(_ source: ValueSource, location: SourceLocation?) throws(MediationCompileError) {
        switch source {
        case .literal(let text): self = .literal(text)
        case .expression(let expression): self = .expression(try CompiledExpression(expression, location: location))
        }
    }

    var readsBody: Bool {
        if case .expression(let expression) = self { return expression.readsBody }
        return false
    }

    func evaluate(_ context: inout MessageContext) throws(MediationFault) -> ExpressionValue {
        switch self {
        case .literal(let text): .property(.string(text))
        case .expression(let expression): try expression.evaluate(&context)
        }
    }

    func string(_ context: inout MessageContext) throws(MediationFault) -> String? {
        switch self {
        case .literal(let text): text
        case .expression(let expression): try expression.string(&context)
        }
    }
}
