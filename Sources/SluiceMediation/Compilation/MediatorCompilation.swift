import SluiceModel

/// What a mediator sees while it compiles (`SynapseMediator.compile(_:)`): where it was written, the names it may
/// refer to, the class-mediator registry, and the compilation of the mediators it contains.
struct MediatorCompilation {
    /// The names compiled mediators may refer to.
    struct Scope {
        /// Named sequences that exist (deployed, or being deployed together).
        var sequenceNames: Set<String>
        /// Sequence templates that exist.
        var templateNames: Set<String>
        /// Named endpoints, resolved.
        var endpoints: [String: ResolvedEndpoint]
        /// Endpoint templates by name.
        var endpointTemplates: [String: SynapseTemplate]
        /// Local entries by key.
        var localEntries: [String: LocalEntry.Content]
    }

    /// The sequence or resource the mediators were written in; compile errors point here.
    let location: SourceLocation?
    /// The `<class name=>` mediators that exist.
    let classMediators: ClassMediatorRegistry
    /// The counters `<throttle>` counts with; nil when the node set none up.
    let throttleCounters: (any MediationThrottleCounters)?
    private(set) var scope: Scope

    init(
        location: SourceLocation?,
        classMediators: ClassMediatorRegistry,
        throttleCounters: (any MediationThrottleCounters)? = nil,
        scope: Scope
    ) {
        self.throttleCounters = throttleCounters
        self.location = location
        self.classMediators = classMediators
        self.scope = scope
    }

    /// An error at the place being compiled.
    func error(_ kind: MediationCompileError.Kind) -> MediationCompileError {
        MediationCompileError(kind, location: location)
    }

    /// Compiles mediators in order.
    mutating func compile(_ nodes: [MediatorNode]) throws(MediationCompileError) -> [any CompiledMediator] {
        var result: [any CompiledMediator] = []
        result.reserveCapacity(nodes.count)
        for node in nodes {
            result.append(try compile(node))
        }
        return result
    }

    /// Compiles one mediator.
    mutating func compile(_ node: MediatorNode) throws(MediationCompileError) -> any CompiledMediator {
        try MediatorCatalog.synapseMediator(node).compile(&self)
    }

    /// Checks that the named sequence exists.
    /// - Throws: `MediationCompileError.unknownSequence`.
    func requireSequence(_ key: String) throws(MediationCompileError) {
        guard scope.sequenceNames.contains(key) else { throw error(.unknownSequence(key)) }
    }

    /// Checks that the named sequence template exists.
    /// - Throws: `MediationCompileError.unknownTemplate`.
    func requireTemplate(_ name: String) throws(MediationCompileError) {
        guard scope.templateNames.contains(name) else { throw error(.unknownTemplate(name)) }
    }

    /// The text a key names, for mediators that take their content from a resource (a payloadFactory format, an
    /// inline enrich source, a schema): a local entry's text or XML markup.
    /// - Throws: `MediationCompileError` for an unknown key (a registry path `conf:`/`gov:` is the key of a local
    ///   entry).
    func resourceText(forKey key: String, usedFor purpose: String) throws(MediationCompileError) -> String {
        if let text = scope.localEntries[key]?.text { return text }
        throw error(.unknownLocalEntry(key))
    }

    /// Resolves an endpoint written inside a mediator: a reference to the shared named endpoint, or an inline one
    /// with fresh state.
    mutating func resolve(_ definition: EndpointDefinition) throws(MediationCompileError) -> ResolvedEndpoint {
        var resolver = EndpointResolver(
            definitions: [:],
            resolved: scope.endpoints,
            templates: scope.endpointTemplates
        )
        do {
            return try resolver.resolve(definition)
        } catch var error {
            if error.location == nil { error.location = location }
            throw error
        }
    }

    /// Compiles an expression at this place.
    func expression(_ expression: SynapseExpression) throws(MediationCompileError) -> CompiledExpression {
        try CompiledExpression(expression, location: location)
    }

    /// Compiles a literal or expression at this place.
    func value(_ source: ValueSource) throws(MediationCompileError) -> CompiledValue {
        try CompiledValue(source, location: location)
    }

    /// Compiles a regex at this place.
    func regex(_ text: String) throws(MediationCompileError) -> SharedRegex {
        try SharedRegex(text, location: location)
    }
}
