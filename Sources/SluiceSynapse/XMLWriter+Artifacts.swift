import SluiceMediation
import SluiceModel
import SluiceXML

extension XMLWriter {
    /// Writes an `<api>`; `namespaces` holds the Synapse namespace when the API is the root element.
    func api(_ api: SynapseAPI, namespaces: [String: String]) {
        element(
            "api",
            [
                "name": api.name,
                "context": api.context,
                "version": api.version,
                "version-type": api.versionType?.rawValue,
                "hostname": api.hostname,
                "port": api.port.map(String.init),
                "transports": api.transports.map { $0.map(\.rawValue).joined(separator: " ") },
                "statistics": api.statistics ? "enable" : nil,
                "trace": api.trace ? "enable" : nil,
            ],
            namespaces: namespaces
        ) {
            for resource in api.resources { self.resource(resource) }
            if !api.handlers.isEmpty {
                element("handlers") {
                    for handler in api.handlers {
                        element("handler", ["class": handler.className]) {
                            for property in handler.properties {
                                element("property", ["name": property.name, "value": property.value])
                            }
                        }
                    }
                }
            }
        }
    }

    private func resource(_ resource: APIResource) {
        var urlMapping: String?
        var uriTemplate: String?
        switch resource.dispatcher {
        case .urlMapping(let mapping): urlMapping = mapping.description
        case .uriTemplate(let template): uriTemplate = template.raw
        case .none: break
        }
        func key(_ slot: SequenceSlot?) -> String? {
            if case .key(let name)? = slot { return name }
            return nil
        }
        element(
            "resource",
            [
                "methods": resource.methods.isEmpty ? nil : resource.methods.joined(separator: " "),
                "url-mapping": urlMapping,
                "uri-template": uriTemplate,
                "protocol": resource.protocolRestriction,
                "content-type": resource.contentType,
                "user-agent": resource.userAgent,
                "auth-type": resource.authType,
                "throttling-tier": resource.throttlingTier,
                "scopes": resource.scopes.isEmpty ? nil : resource.scopes.joined(separator: " "),
                "inSequence": key(resource.inSequence),
                "outSequence": key(resource.outSequence),
                "faultSequence": key(resource.faultSequence),
            ]
        ) {
            for (name, slot) in [
                ("inSequence", resource.inSequence), ("outSequence", resource.outSequence),
                ("faultSequence", resource.faultSequence),
            ] {
                if case .inline(let mediators)? = slot {
                    element(name) { self.mediators(mediators) }
                }
            }
        }
    }

    /// Writes a `<localEntry>`: the `src` it was loaded from, or its inline content.
    func localEntry(_ entry: LocalEntry, namespaces: [String: String]) {
        guard entry.source == nil else {
            element("localEntry", ["key": entry.key, "src": entry.source], namespaces: namespaces) {
                if let description = entry.description { textElement("description", description) }
            }
            return
        }
        switch entry.content {
        case .text(let text) where entry.description == nil:
            textElement("localEntry", ["key": entry.key], text, namespaces: namespaces)
        case .text(let text):
            element("localEntry", ["key": entry.key], namespaces: namespaces) {
                if let description = entry.description { textElement("description", description) }
                rawText(XMLEscaping.text(text))
            }
        case .xml(let markup):
            element("localEntry", ["key": entry.key], namespaces: namespaces) {
                if let description = entry.description { textElement("description", description) }
                rawText(markup)
            }
        case .sequence(let sequence):
            element("localEntry", ["key": entry.key], namespaces: namespaces) {
                if let description = entry.description { textElement("description", description) }
                self.sequence(sequence, namespaces: [:], omittingName: entry.key)
            }
        case .endpoint(let endpoint):
            element("localEntry", ["key": entry.key], namespaces: namespaces) {
                if let description = entry.description { textElement("description", description) }
                self.endpoint(endpoint)
            }
        }
    }

    /// Writes a `<template>` with its parameters and body.
    func template(_ template: SynapseTemplate, namespaces: [String: String]) {
        element("template", ["name": template.name], namespaces: namespaces) {
            for parameter in template.parameters {
                element(
                    "parameter",
                    [
                        "name": parameter.name,
                        "defaultValue": parameter.defaultValue,
                        "isMandatory": parameter.isMandatory.map { $0 ? "true" : "false" },
                    ],
                    namespaces: parameter.defaultNamespaces
                )
            }
            switch template.body {
            case .sequence(let sequence): self.sequence(sequence, namespaces: [:], omittingName: template.name)
            case .endpoint(let xml): rawText(xml)
            }
        }
    }

    /// Writes a named `<sequence>`; `omittingName` leaves out a name equal to it (the sequence of a template or a
    /// local entry takes its owner's name).
    func sequence(_ sequence: SequenceDefinition, namespaces: [String: String], omittingName: String? = nil) {
        element(
            "sequence",
            [
                "name": sequence.name == omittingName ? nil : sequence.name,
                "onError": sequence.onError,
                "statistics": sequence.statistics ? "enable" : nil,
                "trace": sequence.trace ? "enable" : nil,
            ],
            namespaces: namespaces
        ) {
            if let description = sequence.description { textElement("description", description) }
            mediators(sequence.mediators)
        }
    }
}
