import SluiceModel
internal import SluiceXML

extension MakeFaultMediator {
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> MakeFaultMediator? {
        reader.ignoreText(in: element)
        var fault = MakeFaultMediator(
            version: reader.enumeration("version", of: element, as: Version.self),
            response: element.attribute("response") == nil ? nil : reader.flag("response", of: element, default: false)
        )
        var ok = true
        var seen: Set<String> = []
        for child in element.childElements {
            guard reader.isSynapseNamespace(child), ["code", "reason", "node", "role", "detail"].contains(child.localName)
            else {
                reader.reportUnknown(child, in: element)
                ok = false
                continue
            }
            if !seen.insert(child.localName).inserted {
                reader.report("<makefault> takes one <\(child.localName)>", at: child)
                ok = false
            }
            switch child.localName {
            case "code":
                fault.code = readCode(child, reader: reader)
                ok = ok && fault.code != nil
            case "reason":
                reader.ignoreText(in: child)
                reader.rejectChildren(of: child)
                guard case .value(let reason) = reader.valueSource(of: child, optional: false, owner: "<reason>") else {
                    ok = false
                    continue
                }
                fault.reason = reason
            case "node", "role":
                reader.rejectChildren(of: child)
                let text = child.textContent.trimmingSpaces()
                if child.localName == "node" { fault.node = text } else { fault.role = text }
            default:
                fault.detail = readDetail(child, reader: reader)
                ok = ok && fault.detail != nil
            }
        }
        if fault.version != .pox {
            if fault.code == nil && !seen.contains("code") {
                reader.report("<makefault> needs a <code> unless version=\"pox\"", at: element)
                ok = false
            }
            if fault.reason == nil && !seen.contains("reason") {
                reader.report("<makefault> needs a <reason> unless version=\"pox\"", at: element)
                ok = false
            }
        }
        return ok ? fault : nil
    }

    private static func readCode(_ element: XMLElementNode, reader: ArtifactReader) -> Code? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        switch reader.valueSource(of: element, optional: false, owner: "<code>") {
        case .value(.expression(let expression)):
            return .expression(expression)
        case .value(.literal(let text)):
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                reader.report("the fault code '\(text)' must be a QName written prefix:name", at: element)
                return nil
            }
            guard let namespace = element.inScopeNamespaces[parts[0]] else {
                reader.report("the prefix '\(parts[0])' of fault code '\(text)' is not declared", at: element)
                return nil
            }
            return .qualifiedName(prefix: parts[0], localName: parts[1], namespace: namespace)
        case .absent, .invalid:
            return nil
        }
    }

    private static func readDetail(_ element: XMLElementNode, reader: ArtifactReader) -> Detail? {
        if let text = element.attribute("expression") {
            reader.ignoreText(in: element)
            reader.rejectChildren(of: element)
            return reader.expression(text, attribute: "expression", of: element).map(Detail.expression)
        }
        let children = element.childElements
        if !children.isEmpty {
            reader.ignoreText(in: element)
            return .elements(children.map(XMLFragmentWriter.string(for:)).joined())
        }
        return .text(element.textContent)
    }

    /// Omits absent parts; a literal code declares its prefix on `<code>`.
    func write(to writer: XMLWriter) {
        writer.element(
            "makefault",
            ["version": version?.rawValue, "response": response.map { $0 ? "true" : "false" }]
        ) {
            switch code {
            case .qualifiedName(let prefix, let localName, let namespace)?:
                writer.element("code", ["value": prefix + ":" + localName], namespaces: [prefix: namespace])
            case .expression(let expression)?:
                writer.element("code", ["expression": expression.source], namespaces: expression.namespaces)
            case nil:
                break
            }
            if let reason {
                let (value, expression) = XMLWriter.valueAttributes(reason)
                writer.element(
                    "reason",
                    ["value": value, "expression": expression],
                    namespaces: XMLWriter.namespaces(of: reason)
                )
            }
            if let node { writer.textElement("node", node) }
            if let role { writer.textElement("role", role) }
            switch detail {
            case .text(let text)?: writer.textElement("detail", text)
            case .expression(let expression)?:
                writer.element("detail", ["expression": expression.source], namespaces: expression.namespaces)
            case .elements(let markup)?: writer.rawElement("detail", raw: markup)
            case nil: break
            }
        }
    }
}
