package import SluiceModel
package import SluiceXML

extension ArtifactReader {
    /// Reads the mediators that are the children of `element`.
    /// - Parameter takesOther: Consumes a child that is not a mediator (returns true), e.g. `<description>`.
    package func readMediators(
        in element: XMLElementNode,
        takingOther takesOther: (XMLElementNode) -> Bool = { _ in false }
    ) -> [MediatorNode] {
        ignoreText(in: element)
        var mediators: [MediatorNode] = []
        for child in element.childElements where !takesOther(child) {
            if let mediator = readMediator(child) { mediators.append(mediator) }
        }
        return mediators
    }

    /// Reads one mediator element through the `MediatorCatalog`; reports Synapse mediators Sluice refuses with
    /// the reason, and unknown elements as unknown.
    package func readMediator(_ element: XMLElementNode) -> MediatorNode? {
        let isRule = element.localName == "rule" && element.namespaceURI == MediatorCatalog.rulesNamespace
        guard isSynapseNamespace(element) || isRule else {
            report("unknown mediator '\(element.qualifiedName)'", at: element)
            return nil
        }
        if let type = MediatorCatalog.type(named: element.localName) {
            return type.readNode(from: element, reader: self)
        }
        if let reason = MediatorCatalog.refusal(for: element.localName) {
            report("the <\(element.localName)> mediator is not supported: \(reason)", at: element)
        } else if let dot = element.localName.firstIndex(of: "."), dot != element.localName.startIndex {
            // `<connector.operation>`: WSO2 Micro Integrator's connectors (Java libraries imported with the project).
            report(
                "the connector operation <\(element.localName)> is not supported: WSO2 Micro Integrator connectors "
                    + "('\(element.localName[..<dot])') are Java libraries, out of scope for Sluice; call the service "
                    + "with <call> and an endpoint",
                at: element
            )
        } else {
            report("unknown mediator '\(element.qualifiedName)'", at: element)
        }
        return nil
    }

    /// Reads the single optional `<endpoint>` child of `send` or `call`.
    package func readOptionalEndpointChild(of element: XMLElementNode) -> (endpoint: EndpointDefinition?, ok: Bool) {
        ignoreText(in: element)
        var endpoint: EndpointDefinition?
        var ok = true
        for child in element.childElements {
            guard isSynapse(child, named: "endpoint") else {
                reportUnknown(child, in: element)
                ok = false
                continue
            }
            if endpoint != nil {
                report("<\(element.localName)> takes at most one <endpoint>", at: child)
                ok = false
            }
            if let read = readEndpoint(child) { endpoint = read } else { ok = false }
        }
        return (endpoint, ok)
    }

    /// Reads `<property name= value|expression/>` children (log and class mediators).
    /// - Parameter skipped: Names of other children the caller reads itself.
    package func readNamedValues(of element: XMLElementNode, skipping skipped: Set<String> = []) -> [NamedValue] {
        ignoreText(in: element)
        var values: [NamedValue] = []
        for child in element.childElements {
            if skipped.contains(child.localName) && isSynapseNamespace(child) { continue }
            guard isSynapse(child, named: "property") else {
                reportUnknown(child, in: element)
                continue
            }
            guard let name = required("name", of: child) else { continue }
            rejectChildren(of: child)
            if case .value(let value) = valueSource(of: child, optional: false, owner: "<property> '\(name)'") {
                values.append(NamedValue(name: name, value: value))
            }
        }
        return values
    }
}
