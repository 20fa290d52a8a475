import SluiceModel

/// Everything deployed that sequences refer to by name: compiled named sequences, resolved named endpoints,
/// sequence and endpoint templates, and local entries. Immutable; a redeploy builds a new one (fresh endpoint
/// states included).
public struct MediationProgram: Sendable {
    /// Named sequences by name (local entries holding a `<sequence>` included, by key).
    public let sequences: [String: CompiledSequence]
    /// Named endpoints by name (local entries holding an `<endpoint>` included, by key).
    public let endpoints: [String: ResolvedEndpoint]
    /// Sequence templates by name.
    public let templates: [String: CompiledTemplate]
    /// Endpoint templates by name, instantiated when an endpoint names them.
    let endpointTemplates: [String: SynapseTemplate]
    /// Local entries by key.
    public let localEntries: LocalEntryTable
    /// References of the named sequences, endpoints and templates to what nothing deployed defines: deployed, and
    /// faulting when a message reaches them (deployment warnings, located in the referring artifact).
    public let unresolvedReferences: [MediationCompileError]

    /// A program without named sequences or endpoints.
    public static let empty = MediationProgram(sequences: [:], endpoints: [:])

    init(
        sequences: [String: CompiledSequence],
        endpoints: [String: ResolvedEndpoint],
        templates: [String: CompiledTemplate] = [:],
        endpointTemplates: [String: SynapseTemplate] = [:],
        localEntries: LocalEntryTable = .empty,
        unresolvedReferences: [MediationCompileError] = []
    ) {
        self.sequences = sequences
        self.endpoints = endpoints
        self.templates = templates
        self.endpointTemplates = endpointTemplates
        self.localEntries = localEntries
        self.unresolvedReferences = unresolvedReferences
    }

    /// The named sequence, or nil.
    public func sequence(named name: String) -> CompiledSequence? {
        sequences[name]
    }

    /// True when the referenced sequence or template may read the body.
    func readsBody(_ reference: MediationReference) -> Bool {
        switch reference {
        case .sequence(let name): sequences[name]?.readsBody ?? false
        case .template(let name): templates[name]?.readsBody ?? false
        }
    }

    /// What mediators compiled against this program may refer to.
    var scope: MediatorCompilation.Scope {
        MediatorCompilation.Scope(
            sequenceNames: Set(sequences.keys),
            templateNames: Set(templates.keys),
            endpoints: endpoints,
            endpointTemplates: endpointTemplates,
            localEntries: localEntries
        )
    }

    /// The deployed `fault` sequence, or the built-in one (`CompiledSequence.defaultFault`).
    public var faultSequence: CompiledSequence {
        sequences["fault"] ?? .defaultFault
    }
}
