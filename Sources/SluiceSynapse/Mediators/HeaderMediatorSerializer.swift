import SluiceModel

/// Writes `<header>`, omitting `action="set"` and `scope="default"`.
struct HeaderMediatorSerializer: MediatorSerializer {
    let elementName = "header"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .header(let header) = mediator else { return }
        let (value, expression) = XMLWriter.valueAttributes(header.value)
        writer.element(
            "header",
            [
                "name": header.name,
                "value": value,
                "expression": expression,
                "action": header.action == .set ? nil : header.action.rawValue,
                "scope": header.scope == .default ? nil : header.scope.rawValue,
            ],
            namespaces: XMLWriter.namespaces(of: header.value)
        )
    }
}
