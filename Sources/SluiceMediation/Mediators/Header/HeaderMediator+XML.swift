import SluiceModel
internal import SluiceXML

extension HeaderMediator {
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> HeaderMediator? {
        let action = reader.enumeration("action", of: element, as: PropertyMediator.Action.self) ?? .set
        let scope = reader.enumeration("scope", of: element, as: Scope.self, caseInsensitive: true) ?? .default
        let embedded = element.childElements
        let name = element.attribute("name")
        var header = HeaderMediator(name: name, value: nil, action: action, scope: scope)
        header.valueType = element.attribute("type")
        guard let name else {
            guard !embedded.isEmpty, scope == .default else {
                reader.report("<header> needs a 'name' attribute (or, in the default scope, embedded XML)", at: element)
                return nil
            }
            reader.ignoreText(in: element)
            if element.attribute("value") != nil || element.attribute("expression") != nil {
                reader.report("<header> without a 'name' takes embedded XML, not 'value' or 'expression'", at: element)
                return nil
            }
            header.embeddedXML = embedded.map(XMLFragmentWriter.string(for:)).joined()
            return header
        }
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        if scope == .default {
            if let colon = name.firstIndex(of: ":") {
                let prefix = String(name[..<colon])
                guard let namespace = element.inScopeNamespaces[prefix], !prefix.isEmpty else {
                    reader.report("invalid namespace prefix '\(prefix)' in name attribute '\(name)' of <header>", at: element)
                    return nil
                }
                header.namespace = namespace
            } else if !addressingNames.contains(name) {
                reader.report(
                    "invalid SOAP header '\(name)' on <header>: SOAP headers must be namespace qualified "
                        + "(or one of To, From, Action, FaultTo, ReplyTo, RelatesTo, MessageID); "
                        + "use scope=\"transport\" for an HTTP header",
                    at: element
                )
                return nil
            }
        }
        switch reader.valueSource(of: element, optional: action == .remove, owner: "<header> '\(name)'") {
        case .value(let read): header.value = read
        case .absent: break
        case .invalid: return nil
        }
        guard action == .remove || header.value != nil else { return nil }
        return header
    }

    /// Omits `action="set"` and `scope="default"`; a qualified name declares its prefix.
    func write(to writer: XMLWriter) {
        let (value, expression) = XMLWriter.valueAttributes(value)
        var namespaces = XMLWriter.namespaces(of: self.value)
        if let name, let namespace, let colon = name.firstIndex(of: ":") {
            namespaces[String(name[..<colon])] = namespace
        }
        writer.element(
            "header",
            [
                "name": name,
                "value": value,
                "expression": expression,
                "type": valueType,
                "action": action == .set ? nil : action.rawValue,
                "scope": scope == .default ? nil : scope.rawValue,
            ],
            namespaces: namespaces
        ) {
            if let embeddedXML { writer.rawText(embeddedXML) }
        }
    }
}
