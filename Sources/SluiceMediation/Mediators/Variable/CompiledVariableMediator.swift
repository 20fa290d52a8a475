import SluiceModel

/// `<variable>` ready to run: sets or removes a variable, converting to `type` as Synapse's `mediators.v2.Utils`
/// does (a literal value once, at deploy time; an expression's value per message, where a value of the wrong
/// type is a fault).
struct CompiledVariableMediator: CompiledMediator {
    private enum Source: Sendable {
        case constant(SynapseValue)
        case expression(CompiledExpression)
    }

    let name: String
    let type: VariableMediator.VariableType?
    private let source: Source?

    init(_ node: VariableMediator, location: SourceLocation?) throws(MediationCompileError) {
        name = node.name
        type = node.type
        switch (node.action, node.value) {
        case (.remove, _):
            source = nil
        case (.set, .literal(let text)?):
            guard let converted = Self.convert(literal: text, to: node.type) else {
                throw MediationCompileError(
                    .invalidConfiguration(
                        className: "variable",
                        reason: "the value '\(text)' of variable '\(node.name)' is not \(node.type?.rawValue ?? "STRING")"
                    ),
                    location: location
                )
            }
            source = .constant(converted)
        case (.set, .expression(let expression)?):
            source = .expression(try CompiledExpression(expression, location: location))
        case (.set, nil):
            throw MediationCompileError(
                .unsupported("variable '\(node.name)' without value or expression"),
                location: location
            )
        }
    }

    var readsBody: Bool {
        if case .expression(let expression)? = source { return expression.readsBody }
        return false
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        switch source {
        case nil:
            context.variables[name] = nil
        case .constant(let value):
            context.variables[name] = value
        case .expression(let expression):
            let value = try convert(try expression.synapseValue(&context), expression: expression)
            // A null value leaves the variable undefined (`vars.name` then fails), as Synapse stores null.
            context.variables[name] = value.isNull ? nil : value
        }
        return .proceed
    }

    // MARK: - Conversion

    /// A literal `value=` in the declared type (Synapse's `Utils.convertValue`); nil when it does not convert.
    static func convert(literal text: String, to type: VariableMediator.VariableType?) -> SynapseValue? {
        switch type {
        case nil, .string?: return .string(text)
        case .boolean?:
            // JavaUtils.isTrueExplicitly: "true", "yes", "1" (any case) are true, anything else false.
            return .bool(["true", "yes", "1"].contains(text.lowercased()))
        case .integer?: return Int32(text).map { .int(Int64($0)) }
        case .long?: return Int64(text).map(SynapseValue.long)
        case .double?: return Double(text.trimmingWhitespace()).map(SynapseValue.double)
        case .xml?: return element(text)
        case .json?: return (try? JSONParser.parse(text)).map(SynapseValue.init(json:))
        }
    }

    /// An expression's value checked against the declared type.
    private func convert(_ value: SynapseValue, expression: CompiledExpression) throws(MediationFault) -> SynapseValue {
        guard let type else { return value }
        let fault = MediationFault.mediatorFailed(
            "variable \(name)",
            "the expression '\(expression.source)' does not give a value of type \(type.rawValue)"
        )
        switch type {
        case .string:
            return .string(value.stringValue ?? "")
        case .xml:
            guard let text = value.stringValue, let element = Self.element(text) else { throw fault }
            return element
        case .boolean:
            guard value.isBoolean else { throw fault }
            return value
        case .integer:
            guard value.isInteger else { throw fault }
            return value
        case .long:
            guard let number = value.integerValue else { throw fault }
            return .long(number)
        case .double:
            guard let number = value.doubleValue else { throw fault }
            return .double(number)
        case .json:
            guard !value.isNull else { throw fault }
            // A string holding JSON is parsed, as Synapse's JSON variables hold a JsonElement.
            if case .string(let text) = value, let json = try? JSONParser.parse(text) { return SynapseValue(json: json) }
            return value
        }
    }

    /// Well-formed XML text as an element value; nil otherwise.
    private static func element(_ text: String) -> SynapseValue? {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix("<"), XPathEngine.isWellFormed(trimmed) else { return nil }
        return .element(trimmed)
    }
}

extension CompiledExpression {
    /// The value with Synapse Expression types: a `${...}` expression's own value, the older kinds' values
    /// converted (text, JSON, XPath nodes).
    func synapseValue(_ context: inout MessageContext) throws(MediationFault) -> SynapseValue {
        if case .synapse(let expression) = kind { return expression.value(&context) }
        switch try evaluate(&context) {
        case .none: return .null
        case .json(let json): return SynapseValue(json: json)
        case .xpath(let result): return .xml(result)
        case .property(let property):
            switch property {
            case .string(let text): return .string(text)
            case .integer(let number): return .integer(Int64(number))
            case .double(let number): return .double(number)
            case .boolean(let flag): return .bool(flag)
            case .json(let json): return SynapseValue(json: json)
            case .xml(let markup): return .element(markup)
            }
        }
    }
}
