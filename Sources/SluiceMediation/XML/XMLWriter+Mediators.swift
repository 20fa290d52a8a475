package import SluiceModel
package import SluiceXML

extension XMLWriter {
    /// Writes mediators, each through its own `SynapseMediator.write(to:)`.
    package func mediators(_ mediators: [MediatorNode]) {
        for mediator in mediators {
            MediatorCatalog.synapseMediator(mediator).write(to: self)
        }
    }

    /// The namespace declarations an expression needs.
    package static func namespaces(of value: ValueSource?) -> [String: String] {
        if case .expression(let expression)? = value { return expression.namespaces }
        return [:]
    }

    /// `value=` and `expression=` attribute values for a value source.
    package static func valueAttributes(_ value: ValueSource?) -> (value: String?, expression: String?) {
        switch value {
        case .literal(let text)?: (text, nil)
        case .expression(let expression)?: (nil, expression.source)
        case nil: (nil, nil)
        }
    }

    /// Writes `<property name= value|expression/>` children.
    package func namedValues(_ values: [NamedValue]) {
        for property in values {
            let (value, expression) = Self.valueAttributes(property.value)
            element(
                "property",
                ["name": property.name, "value": value, "expression": expression],
                namespaces: Self.namespaces(of: property.value)
            )
        }
    }
}
