import SluiceModel

/// `<filter>` ready to run: evaluates the condition and enters the matching branch.
struct CompiledFilterMediator: CompiledMediator {
    let condition: CompiledFilterCondition
    let then: [any CompiledMediator]
    let otherwise: [any CompiledMediator]

    var readsBody: Bool { condition.readsBody || then.anyReadsBody || otherwise.anyReadsBody }
    var references: [MediationReference] { then.allReferences + otherwise.allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .enter(try condition.evaluate(&context) ? then : otherwise)
    }
}

/// The condition of a `<filter>`: a source matched against a regex, or an XPath's boolean value.
enum CompiledFilterCondition: Sendable {
    case sourceMatches(CompiledExpression, SharedRegex)
    case xpath(CompiledExpression)

    init(_ condition: FilterMediator.Condition, compilation: MediatorCompilation) throws(MediationCompileError) {
        switch condition {
        case .sourceMatches(let source, let regex):
            self = .sourceMatches(try compilation.expression(source), try compilation.regex(regex))
        case .xpath(let expression):
            self = .xpath(try compilation.expression(expression))
        }
    }

    var readsBody: Bool {
        switch self {
        case .sourceMatches(let source, _): source.readsBody
        case .xpath(let expression): expression.readsBody
        }
    }

    /// XPath's `boolean()` of a property, as Jaxen takes it for `$ctx:name` or `get-property(...)`: a string is
    /// true when not empty (so the text `false` is true, as in Synapse), a number when neither 0 nor NaN; a
    /// property set with `type="BOOLEAN"` is its value.
    static func xpathBoolean(_ value: PropertyValue) -> Bool {
        switch value {
        case .boolean(let flag): flag
        case .integer(let number): number != 0
        case .double(let number): number != 0 && !number.isNaN
        case .string(let text): !text.isEmpty
        case .json, .xml: true
        }
    }

    /// True for the `then` branch.
    func evaluate(_ context: inout MessageContext) throws(MediationFault) -> Bool {
        switch self {
        case .sourceMatches(let source, let regex):
            // An absent source never matches, as in Synapse.
            guard let text = try source.string(&context) else { return false }
            return regex.matches(text)
        case .xpath(let expression):
            // Synapse's FilterMediator reads a Synapse Expression with Boolean.parseBoolean(stringValueOf(...)).
            if case .synapse(let synapse) = expression.kind { return synapse.string(&context).lowercased() == "true" }
            switch try expression.evaluate(&context) {
            case .none: return false
            case .xpath(let result): return result.booleanValue
            case .property(let value): return Self.xpathBoolean(value)
            case .json(let value):
                if case .bool(let flag) = value { return flag }
                return value != .null
            }
        }
    }
}
