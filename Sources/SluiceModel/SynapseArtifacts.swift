/// Everything one artifact file declares: a lone `<api>`, `<sequence>` or `<endpoint>`, or a `<definitions>`
/// holding any mix of them.
public struct SynapseArtifacts: Sendable, Hashable {
    public var apis: [SynapseAPI]
    public var sequences: [SequenceDefinition]
    /// Named endpoints (each has a non-nil `name`).
    public var endpoints: [EndpointDefinition]

    public init(apis: [SynapseAPI] = [], sequences: [SequenceDefinition] = [], endpoints: [EndpointDefinition] = []) {
        self.apis = apis
        self.sequences = sequences
        self.endpoints = endpoints
    }

    public var isEmpty: Bool { apis.isEmpty && sequences.isEmpty && endpoints.isEmpty }
}
