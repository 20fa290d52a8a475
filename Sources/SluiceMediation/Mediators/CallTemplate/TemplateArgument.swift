public import SluiceModel

/// A template argument as written in `<with-param value=>` or a `<parameter>`'s default, in the three forms of
/// Synapse's `ValueFactory`.
public enum TemplateArgument: Sendable, Hashable {
    /// Plain text.
    case literal(String)
    /// `{expression}`: evaluated at the call; the template reads the value.
    case expression(SynapseExpression)
    /// `{{path}}`: the path itself goes to the template, as Synapse's `TemplateContext` binds an escaped expression
    /// to its `SynapseXPath`. `$func:name` inside an XPath then selects what the path selects in the message as it
    /// is at that moment (an `iterate` expression, an `aggregate`'s `onComplete`); read as a value
    /// (`get-property('func', name)`) it is the path's text. A path that mentions `get-property` is evaluated at
    /// the call, and the text it gives is the path (Synapse's `evalutePropertyExpression`).
    case path(SynapseExpression)

    /// Reads an attribute's text.
    /// - Throws: `SynapseExpressionError` for a broken expression or path.
    public init(_ text: String, namespaces: [String: String]) throws(SynapseExpressionError) {
        let trimmed = text.trimmingSpaces()
        if trimmed.count > 3, trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}") {
            self = .path(try SynapseExpression(parsing: String(trimmed.dropFirst(2).dropLast(2)), namespaces: namespaces))
        } else if trimmed.hasPrefix("{"), trimmed.hasSuffix("}"), trimmed.count > 2 {
            self = .expression(try SynapseExpression(parsing: String(trimmed.dropFirst().dropLast()), namespaces: namespaces))
        } else {
            self = .literal(text)
        }
    }

    /// The text `init(_:namespaces:)` reads back as this argument.
    public var text: String {
        switch self {
        case .literal(let text): text
        case .expression(let expression): "{" + expression.source + "}"
        case .path(let path): "{{" + path.source + "}}"
        }
    }

    /// The namespace declarations the argument's expression needs.
    public var namespaces: [String: String] {
        switch self {
        case .literal: [:]
        case .expression(let expression), .path(let expression): expression.namespaces
        }
    }
}

/// What `$func:name` holds while a template runs.
enum FunctionParameter: Sendable {
    case value(PropertyValue)
    /// A `{{path}}` argument.
    case path(CompiledExpression)

    /// The parameter as a property value: a path reads as its text, as Synapse's `get-property('func', ...)` gives
    /// the XPath object's text.
    var propertyValue: PropertyValue {
        switch self {
        case .value(let value): value
        case .path(let path): .string(path.source)
        }
    }
}

/// A template argument ready to evaluate at the call.
enum CompiledTemplateArgument: Sendable {
    case value(CompiledValue)
    case path(CompiledExpression)
    /// A path mentioning `get-property`: evaluated at the call to the text of the path to bind.
    case computedPath(CompiledExpression, namespaces: [String: String])

    init(_ argument: TemplateArgument, location: SourceLocation?) throws(MediationCompileError) {
        switch argument {
        case .literal(let text):
            self = .value(.literal(text))
        case .expression(let expression):
            self = .value(try CompiledValue(.expression(expression), location: location))
        case .path(let path):
            let compiled = try CompiledExpression(path, location: location)
            self = path.source.contains("get-property") ? .computedPath(compiled, namespaces: path.namespaces) : .path(compiled)
        }
    }

    /// A path argument makes the template read the body, which the gateway must then have read before the call.
    var readsBody: Bool {
        switch self {
        case .value(let value): value.readsBody
        case .path, .computedPath: true
        }
    }

    /// The parameter the template sees; nil when the argument has no value.
    func evaluate(_ context: inout MessageContext) throws(MediationFault) -> FunctionParameter? {
        switch self {
        case .value(let value):
            return try TemplateArgumentValue.evaluate(value, &context).map(FunctionParameter.value)
        case .path(let path):
            return .path(path)
        case .computedPath(let expression, let namespaces):
            guard let text = try expression.string(&context)?.trimmingWhitespace(), !text.isEmpty else { return nil }
            do {
                let path = try SynapseExpression(parsing: text, namespaces: namespaces)
                return .path(try CompiledExpression(path, location: nil))
            } catch {
                throw MediationFault.mediatorFailed("call-template", "Can not evaluate escaped expression : \(expression.source)")
            }
        }
    }
}
