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
    }

    let source: String
    let kind: Kind
    /// True when evaluating needs the message body.
    let readsBody: Bool

    /// Prepares an expression.
    /// - Throws: `MediationCompileError.invalidExpression` for a JSONPath outside the supported subset or an
    ///   XPath that does not compile.
    init(_ expression: SynapseExpression, location: SourceLocation?) throws(MediationCompileError) {
        source = expression.source
        switch expression.kind {
        case .property(let scope, let name):
            kind = .property(scope, name)
            readsBody = false
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
            do {
                kind = .jsonPath(try JSONPath(path))
            } catch {
                throw MediationCompileError(
                    .invalidExpression(expression.source, reason: error.reason),
                    location: location
                )
            }
            readsBody = true
        case .xpath(let text):
            if let reason = XPathEngine.syntaxError(in: text) {
                throw MediationCompileError(.invalidExpression(text, reason: reason), location: location)
            }
            kind = .xpath(text, namespaces: expression.namespaces)
            readsBody = XPathEngine.touchesPayload(text)
        }
    }

    /// Evaluates the expression.
    /// - Throws: `MediationFault` when the body is needed but unreadable, or XPath evaluation fails.
    func evaluate(_ context: inout MessageContext) throws(MediationFault) -> ExpressionValue {
        switch kind {
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
            guard let json = try context.jsonBody(for: source), let value = path.evaluate(in: json) else {
                return .none
            }
            return .json(value)
        case .xpath(let text, let namespaces):
            let payload = readsBody ? try context.xmlPayload(for: source) : nil
            return .xpath(
                try XPathEngine.evaluate(
                    text,
                    namespaces: namespaces,
                    payload: payload,
                    context: context,
                    needsDocument: readsBody
                )
            )
        }
    }

    /// Evaluates to text; nil when there is no value.
    func string(_ context: inout MessageContext) throws(MediationFault) -> String? {
        try evaluate(&context).stringValue
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
        try evaluate(&context).stringValue
    }
}
