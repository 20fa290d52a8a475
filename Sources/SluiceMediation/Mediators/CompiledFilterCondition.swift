import SluiceModel

/// The condition of a `<filter>`: a source matched against a regex, or an XPath's boolean value.
enum CompiledFilterCondition: Sendable {
    case sourceMatches(CompiledExpression, SharedRegex)
    case xpath(CompiledExpression)

    init(_ condition: FilterMediator.Condition, location: SourceLocation?) throws(MediationCompileError) {
        switch condition {
        case .sourceMatches(let source, let regex):
            self = .sourceMatches(
                try CompiledExpression(source, location: location),
                try SharedRegex(regex, location: location)
            )
        case .xpath(let expression):
            self = .xpath(try CompiledExpression(expression, location: location))
        }
    }

    var readsBody: Bool {
        switch self {
        case .sourceMatches(let source, _): source.readsBody
        case .xpath(let expression): expression.readsBody
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
            switch try expression.evaluate(&context) {
            case .none: return false
            case .xpath(let result): return result.booleanValue
            case .property(let value): return value.stringValue.lowercased() == "true"
            case .json(let value):
                if case .bool(let flag) = value { return flag }
                return value != .null
            }
        }
    }
}
