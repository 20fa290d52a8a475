import SluiceModel

/// Reads `<header name= (value=|expression=) [action=set|remove] [scope=default|transport]/>`.
struct HeaderMediatorFactory: MediatorFactory {
    let elementName = "header"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        let name = reader.required("name", of: element)
        let action = reader.enumeration("action", of: element, as: PropertyMediator.Action.self) ?? .set
        let scope = reader.enumeration("scope", of: element, as: HeaderMediator.Scope.self, caseInsensitive: true)
        let value: ValueSource?
        switch reader.valueSource(of: element, optional: action == .remove, owner: "<header> '\(name ?? "")'") {
        case .value(let read): value = read
        case .absent: value = nil
        case .invalid: return nil
        }
        guard let name, action == .remove || value != nil else { return nil }
        return .header(HeaderMediator(name: name, value: value, action: action, scope: scope ?? .default))
    }
}
