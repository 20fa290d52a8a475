import SluiceModel

/// `<property>` ready to run: set or remove a property of a scope, with `type` conversion and `pattern`.
struct CompiledPropertyMediator: CompiledMediator {
    let name: String
    let value: CompiledValue?
    let scope: PropertyScope
    let action: PropertyMediator.Action
    let type: PropertyMediator.PropertyType?
    let pattern: SharedRegex?
    let group: Int
    /// The inline element's value, set as is.
    let inlineElement: PropertyValue?

    init(_ node: PropertyMediator, location: SourceLocation?) throws(MediationCompileError) {
        switch node.scope {
        case .registry, .system, .env:
            throw MediationCompileError(.unsupported("property scope '\(node.scope.rawValue)'"), location: location)
        default:
            break
        }
        name = node.name
        scope = node.scope
        action = node.action
        type = node.type
        group = node.group ?? 0
        if let element = node.element {
            // Synapse's value element: the property holds the element itself, not converted by `type`.
            inlineElement = .xml(element)
        } else {
            inlineElement = nil
        }
        if node.action == .set, node.value == nil, node.element == nil {
            throw MediationCompileError(
                .unsupported("property '\(node.name)' without value or expression"),
                location: location
            )
        }
        value = try node.value.map { source throws(MediationCompileError) in
            try CompiledValue(source, location: location)
        }
        if let text = node.pattern {
            pattern = try SharedRegex(text, location: location)
        } else {
            pattern = nil
        }
    }

    /// True when the value needs the body, or when it sets axis2 `messageType`: the message may then have to be
    /// converted between JSON and XML on the way out (`MessageContext.applyMessageType()`), as Synapse builds
    /// the message to reformat it.
    var readsBody: Bool {
        if scope == .axis2, action == .set, name == SynapseProperty.messageType { return true }
        return value?.readsBody ?? false
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if action == .set, let inlineElement {
            context[property: name, scope: scope] = inlineElement
            return .proceed
        }
        guard action == .set, let value else {
            context[property: name, scope: scope] = nil
            return .proceed
        }
        let evaluated = try value.evaluate(&context)
        if case .none = evaluated {
            // Synapse sets nothing when an expression yields null.
            return .proceed
        }
        var converted = try convert(evaluated)
        if let pattern {
            let text = converted.stringValue
            guard let match = pattern.wholeMatch(text), group < match.output.count,
                let captured = match.output[group].substring
            else { return .proceed }
            converted = .string(String(captured))
        }
        context[property: name, scope: scope] = converted
        return .proceed
    }

    private func convert(_ value: ExpressionValue) throws(MediationFault) -> PropertyValue {
        let text = value.stringValue ?? ""
        switch type {
        case nil:
            switch value {
            case .property(let property): return property
            case .json(let json):
                if case .string(let string) = json { return .string(string) }
                return .json(json)
            case .xpath(let result):
                // Like Synapse's stringValueOf: node sets become their text unless type="OM" asks for markup.
                return .string(result.stringValue)
            case .none: return .string("")
            }
        case .string?:
            return .string(text)
        case .integer?, .long?, .short?:
            guard let number = Int(text.trimmingWhitespace()) else { throw conversionFault(text) }
            if type == .short, Int16(exactly: number) == nil { throw conversionFault(text) }
            if type == .integer, Int32(exactly: number) == nil { throw conversionFault(text) }
            return .integer(number)
        case .double?, .float?:
            guard let number = Double(text.trimmingWhitespace()) else { throw conversionFault(text) }
            return .double(number)
        case .boolean?:
            // Java's Boolean.parseBoolean: anything but "true" (any case) is false.
            return .boolean(text.trimmingWhitespace().lowercased() == "true")
        case .om?:
            if case .xpath(let result) = value { return .xml(result.markup) }
            return .xml(text)
        case .json?:
            if case .json(let json) = value { return .json(json) }
            guard let json = try? JSONParser.parse(text) else { throw conversionFault(text) }
            return .json(json)
        }
    }

    private func conversionFault(_ text: String) -> MediationFault {
        .mediatorFailed("property \(name)", "cannot convert '\(text)' to \(type?.rawValue ?? "STRING")")
    }
}
