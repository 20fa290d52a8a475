import SluiceModel

/// What a mediator sees while it compiles (`SynapseMediator.compile(_:)`): where it was written, the names it may
/// refer to, the class-mediator registry, and the compilation of the mediators it contains.
struct MediatorCompilation {
    /// The sequence or resource the mediators were written in; compile errors point here.
    let location: SourceLocation?
    /// The `<class name=>` mediators that exist.
    let classMediators: ClassMediatorRegistry
    /// Named sequences that exist (deployed, or being deployed together).
    let sequenceNames: Set<String>
    /// Named endpoints, resolved.
    private(set) var endpoints: [String: ResolvedEndpoint]

    init(
        location: SourceLocation?,
        classMediators: ClassMediatorRegistry,
        sequenceNames: Set<String>,
        endpoints: [String: ResolvedEndpoint]
    ) {
        self.location = location
        self.classMediators = classMediators
        self.sequenceNames = sequenceNames
        self.endpoints = endpoints
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
        guard sequenceNames.contains(key) else { throw error(.unknownSequence(key)) }
    }

    /// Resolves an endpoint written inside a mediator: a reference to the shared named endpoint, or an inline one
    /// with fresh state.
    mutating func resolve(_ definition: EndpointDefinition) throws(MediationCompileError) -> ResolvedEndpoint {
        var resolver = EndpointResolver(definitions: [:], resolved: endpoints)
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
