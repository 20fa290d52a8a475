import Foundation
import SluiceModel

extension ArtifactReader {
    /// Reads a top-level `<sequence name= [onError=]>`.
    func readNamedSequence(_ element: XMLElementNode) -> SequenceDefinition? {
        let name = required("name", of: element)
        var description: String?
        let mediators = readMediators(in: element) { child in
            // Synapse takes one <description> among a named sequence's children as documentation.
            guard isSynapse(child, named: "description") else { return false }
            if description != nil { report("a <sequence> takes at most one <description>", at: child) }
            rejectChildren(of: child)
            description = child.textContent.trimmingCharacters(in: .whitespacesAndNewlines)
            return true
        }
        guard let name else { return nil }
        return SequenceDefinition(
            name: name,
            onError: element.attribute("onError"),
            statistics: element.attribute("statistics") == "enable",
            trace: element.attribute("trace") == "enable",
            mediators: mediators,
            description: description,
            location: location(of: element)
        )
    }

    /// Reads the mediators that are the children of `element`, through the mediator factory registry.
    /// - Parameter takesOther: Consumes a child that is not a mediator (returns true), e.g. `<description>`.
    func readMediators(
        in element: XMLElementNode,
        takingOther takesOther: (XMLElementNode) -> Bool = { _ in false }
    ) -> [MediatorNode] {
        rejectText(in: element)
        var mediators: [MediatorNode] = []
        for child in element.childElements where !takesOther(child) {
            if let mediator = readMediator(child) { mediators.append(mediator) }
        }
        return mediators
    }

    /// Reads one mediator element; reports "unknown mediator" for elements no factory handles.
    func readMediator(_ element: XMLElementNode) -> MediatorNode? {
        guard isSynapseNamespace(element), let factory = MediatorFactoryFinder.factory(for: element.localName) else {
            report("unknown mediator '\(element.qualifiedName)'", at: element)
            return nil
        }
        return factory.makeMediator(from: element, reader: self)
    }

    /// Reads the single optional `<endpoint>` child of `send` or `call`.
    func readOptionalEndpointChild(of element: XMLElementNode) -> (endpoint: EndpointDefinition?, ok: Bool) {
        rejectText(in: element)
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
    func readNamedValues(of element: XMLElementNode) -> [NamedValue] {
        rejectText(in: element)
        var values: [NamedValue] = []
        for child in element.childElements {
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
