import SluiceModel

/// Writes `<property>`, omitting `scope="default"` and `action="set"`.
struct PropertyMediatorSerializer: MediatorSerializer {
    let elementName = "property"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .property(let property) = mediator else { return }
        let (value, expression) = XMLWriter.valueAttributes(property.value)
        writer.element(
            "property",
            [
                "name": property.name,
                "value": value,
                "expression": expression,
                "scope": property.scope == .default ? nil : property.scope.rawValue,
                "action": property.action == .set ? nil : property.action.rawValue,
                "type": property.type?.rawValue,
                "pattern": property.pattern,
                "group": property.group.map(String.init),
            ],
            namespaces: XMLWriter.namespaces(of: property.value)
        )
    }
}
