/// Everything one artifact file declares: a lone `<api>`, `<sequence>`, `<endpoint>`, `<localEntry>` or
/// `<template>`, or a `<definitions>` holding any mix of them.
public struct SynapseArtifacts: Sendable, Hashable {
    public var apis: [SynapseAPI]
    public var sequences: [SequenceDefinition]
    /// Named endpoints (each has a non-nil `name`).
    public var endpoints: [EndpointDefinition]
    /// `<localEntry>` artifacts: values any mediator that takes a key can use.
    public var localEntries: [LocalEntry]
    /// `<template>` artifacts: sequence templates (`call-template`) and endpoint templates (`<endpoint template=>`).
    public var templates: [SynapseTemplate]

    public init(
        apis: [SynapseAPI] = [],
        sequences: [SequenceDefinition] = [],
        endpoints: [EndpointDefinition] = [],
        localEntries: [LocalEntry] = [],
        templates: [SynapseTemplate] = []
    ) {
        self.apis = apis
        self.sequences = sequences
        self.endpoints = endpoints
        self.localEntries = localEntries
        self.templates = templates
    }

    public var isEmpty: Bool {
        apis.isEmpty && sequences.isEmpty && endpoints.isEmpty && localEntries.isEmpty && templates.isEmpty
    }

    /// The named sequences, endpoints, local entries and templates, without the APIs.
    public var namedArtifacts: SynapseArtifacts {
        SynapseArtifacts(sequences: sequences, endpoints: endpoints, localEntries: localEntries, templates: templates)
    }
}
