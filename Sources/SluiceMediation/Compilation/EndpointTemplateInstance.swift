import SluiceModel
internal import SluiceXML

/// Stamps an endpoint out of an endpoint template, as Synapse's `Template.create` does: every attribute value and
/// element text of the template's `<endpoint>` written `$param` is replaced by the value the template endpoint gives
/// that parameter (its `name` and `uri` are the parameters `name` and `uri`), then the result is read as an
/// endpoint. Only whole values are replaced, never part of one, and only parameters the template declares.
enum EndpointTemplateInstance {
    static func make(
        _ endpoint: TemplateEndpoint,
        name: String?,
        from template: SynapseTemplate,
        location: SourceLocation?
    ) throws(MediationCompileError) -> EndpointDefinition {
        guard case .endpoint(let xml) = template.body else {
            throw MediationCompileError(
                .invalidTemplateEndpoint(template: template.name, reason: "the template holds a sequence"),
                location: location
            )
        }
        var values: [String: String] = [:]
        if let name { values["name"] = name }
        if let uri = endpoint.uri { values["uri"] = uri }
        for parameter in endpoint.parameters { values[parameter.name] = parameter.value }
        let declared = Set(template.parameters.map(\.name))
        let root: XMLElementNode
        do {
            root = try XMLDocumentParser().parse(text: xml)
        } catch {
            throw MediationCompileError(
                .invalidTemplateEndpoint(template: template.name, reason: error.message),
                location: location
            )
        }
        let substituted = substitute(root, values: values.filter { declared.contains($0.key) })
        let reader = ArtifactReader(fileName: location?.file ?? template.name)
        guard var definition = reader.readEndpoint(substituted), reader.diagnostics.isEmpty else {
            let reason = reader.diagnostics.map(\.message).joined(separator: "; ")
            throw MediationCompileError(.invalidTemplateEndpoint(template: template.name, reason: reason), location: location)
        }
        // Diagnostics point at the template endpoint, not at a line of the stamped-out text.
        definition.location = location
        if definition.name == nil { definition.name = name }
        return definition
    }

    private static func substitute(_ element: XMLElementNode, values: [String: String]) -> XMLElementNode {
        var element = element
        func replaced(_ text: String) -> String? {
            guard text.hasPrefix("$") else { return nil }
            return values[String(text.dropFirst())]
        }
        for index in element.attributes.indices {
            if let value = replaced(element.attributes[index].value) { element.attributes[index].value = value }
        }
        // Synapse compares the element's whole text; only an element holding nothing but that text changes.
        if let value = replaced(element.textContent.trimmingSpaces()), element.childElements.isEmpty {
            element.children = [.text(value)]
        }
        element.children = element.children.map { child in
            if case .element(let nested) = child { return .element(substitute(nested, values: values)) }
            return child
        }
        return element
    }
}
