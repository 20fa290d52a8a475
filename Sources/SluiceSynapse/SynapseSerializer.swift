public import SluiceModel
import SluiceMediation
import SluiceXML

/// Writes the artifact model as canonical Synapse XML: defaults omitted, 4-space indentation, the Synapse
/// namespace on the root element. The output parses back to an equal model.
public enum SynapseSerializer {
    private static let rootNamespace = ["": ArtifactReader.synapseNamespace]

    /// An `<api>` document.
    public static func xml(for api: SynapseAPI) -> String {
        let writer = XMLWriter()
        writer.api(api, namespaces: rootNamespace)
        return writer.xml
    }

    /// A `<sequence>` document.
    public static func xml(for sequence: SequenceDefinition) -> String {
        let writer = XMLWriter()
        writer.sequence(sequence, namespaces: rootNamespace)
        return writer.xml
    }

    /// An `<endpoint>` document.
    public static func xml(for endpoint: EndpointDefinition) -> String {
        let writer = XMLWriter()
        writer.endpoint(endpoint, namespaces: rootNamespace)
        return writer.xml
    }

    /// A `<localEntry>` document.
    public static func xml(for entry: LocalEntry) -> String {
        let writer = XMLWriter()
        writer.localEntry(entry, namespaces: rootNamespace)
        return writer.xml
    }

    /// A `<template>` document.
    public static func xml(for template: SynapseTemplate) -> String {
        let writer = XMLWriter()
        writer.template(template, namespaces: rootNamespace)
        return writer.xml
    }

    /// A single artifact as its own root element, or a `<definitions>` document for any other mix.
    public static func xml(for artifacts: SynapseArtifacts) -> String {
        let count =
            artifacts.apis.count + artifacts.sequences.count + artifacts.endpoints.count + artifacts.localEntries.count
            + artifacts.templates.count
        if count == 1 {
            if let api = artifacts.apis.first { return xml(for: api) }
            if let sequence = artifacts.sequences.first { return xml(for: sequence) }
            if let endpoint = artifacts.endpoints.first { return xml(for: endpoint) }
            if let entry = artifacts.localEntries.first { return xml(for: entry) }
            if let template = artifacts.templates.first { return xml(for: template) }
        }
        let writer = XMLWriter()
        writer.element("definitions", namespaces: rootNamespace) {
            for entry in artifacts.localEntries { writer.localEntry(entry, namespaces: [:]) }
            for template in artifacts.templates { writer.template(template, namespaces: [:]) }
            for api in artifacts.apis { writer.api(api, namespaces: [:]) }
            for sequence in artifacts.sequences { writer.sequence(sequence, namespaces: [:]) }
            for endpoint in artifacts.endpoints { writer.endpoint(endpoint) }
        }
        return writer.xml
    }
}
