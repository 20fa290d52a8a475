import SluiceModel

/// Reads `<property name= (value=|expression=) [scope=] [action=] [type=] [pattern= [group=]]/>`.
struct PropertyMediatorFactory: MediatorFactory {
    let elementName = "property"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        let name = reader.required("name", of: element)
        let action = reader.enumeration("action", of: element, as: PropertyMediator.Action.self) ?? .set
        let scope = reader.enumeration("scope", of: element, as: PropertyScope.self, caseInsensitive: true)
        let type = reader.enumeration(
            "type",
            of: element,
            as: PropertyMediator.PropertyType.self,
            caseInsensitive: true
        )
        var group: Int?
        if let rawGroup = element.attribute("group") {
            group = reader.integer(rawGroup, named: "group", in: element)
        }
        let owner = "<property> '\(name ?? "")'"
        let value: ValueSource?
        switch reader.valueSource(of: element, optional: action == .remove, owner: owner) {
        case .value(let read): value = read
        case .absent: value = nil
        case .invalid: return nil
        }
        guard let name, action == .remove || value != nil else { return nil }
        return .property(
            PropertyMediator(
                name: name,
                value: value,
                scope: scope ?? .default,
                action: action,
                type: type,
                pattern: element.attribute("pattern"),
                group: group
            )
        )
    }
}
