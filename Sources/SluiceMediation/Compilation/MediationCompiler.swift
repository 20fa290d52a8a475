import SluiceModel

/// Compiles the mediation AST into runnable form at deploy time: named sequences and endpoints into a
/// `MediationProgram`, APIs into `CompiledAPI`s.
///
/// Every reference is checked here (sequence keys, endpoint keys, class mediators, handler classes,
/// expressions, regexes), so a broken artifact fails deployment with its location instead of failing requests.
public struct MediationCompiler: Sendable {
    /// The class mediators `<class name=>` may name.
    public var classMediators: ClassMediatorRegistry
    /// The handler classes an API's `<handlers>` may name.
    public var handlers: GatewayHandlerRegistry

    /// Creates a compiler with the given registries.
    public init(classMediators: ClassMediatorRegistry = .standard, handlers: GatewayHandlerRegistry = .standard) {
        self.classMediators = classMediators
        self.handlers = handlers
    }

    // MARK: - APIs and sequences

    /// Compiles an API against a program: its handler chain and every resource's sequences.
    /// - Throws: `MediationCompileError` for an unknown handler class, sequence key, endpoint key or class
    ///   mediator, or a broken expression, located at the handler or resource.
    public func compile(api: SynapseAPI, in program: MediationProgram) throws(MediationCompileError) -> CompiledAPI {
        let chain = try handlers.makeChain(api.handlers, deployment: GatewayHandlerDeployment(api: api, program: program))
        var resources: [CompiledResource] = []
        for resource in api.resources {
            let location = resource.location ?? api.location
            let inSequence = try resource.inSequence.map { slot throws(MediationCompileError) in
                try compile(slot, name: nil, in: program, location: location)
            }
            let outSequence = try resource.outSequence.map { slot throws(MediationCompileError) in
                try compile(slot, name: nil, in: program, location: location)
            }
            let faultSequence =
                try resource.faultSequence.map { slot throws(MediationCompileError) in
                    try compile(slot, name: "fault", in: program, location: location)
                } ?? program.faultSequence
            resources.append(
                CompiledResource(
                    definition: resource,
                    inSequence: inSequence,
                    outSequence: outSequence,
                    faultSequence: faultSequence
                )
            )
        }
        return CompiledAPI(definition: api, handlers: chain, resources: resources)
    }

    /// Compiles one sequence (inline or named) against a program.
    /// - Throws: `MediationCompileError` as `compile(api:in:)` does.
    public func compile(
        sequence definition: SequenceDefinition,
        in program: MediationProgram
    ) throws(MediationCompileError) -> CompiledSequence {
        if let onError = definition.onError, program.sequences[onError] == nil {
            throw MediationCompileError(.unknownSequence(onError), location: definition.location)
        }
        var compilation = MediatorCompilation(
            location: definition.location,
            classMediators: classMediators,
            throttleCounters: handlers.throttleCounters,
            scope: program.scope
        )
        let mediators = try compilation.compile(definition.mediators)
        return CompiledSequence(
            name: definition.name,
            mediators: mediators,
            onError: definition.onError,
            location: definition.location,
            readsBody: Self.readsBody(mediators, program: program)
        )
    }

    /// Resolves an endpoint definition against a program's named endpoints (inline endpoints get fresh state).
    /// - Throws: `MediationCompileError.unknownEndpoint` for a key that is not deployed.
    public func resolve(
        endpoint: EndpointDefinition,
        in program: MediationProgram
    ) throws(MediationCompileError) -> ResolvedEndpoint {
        var resolver = EndpointResolver(definitions: [:], resolved: program.endpoints, templates: program.endpointTemplates)
        return try resolver.resolve(endpoint)
    }

    private func compile(
        _ slot: SequenceSlot,
        name: String?,
        in program: MediationProgram,
        location: SourceLocation?
    ) throws(MediationCompileError) -> CompiledSequence {
        switch slot {
        case .key(let key):
            guard let sequence = program.sequences[key] else {
                throw MediationCompileError(.unknownSequence(key), location: location)
            }
            return sequence
        case .inline(let nodes):
            var compilation = MediatorCompilation(
                location: location,
                classMediators: classMediators,
                throttleCounters: handlers.throttleCounters,
                scope: program.scope
            )
            let mediators = try compilation.compile(nodes)
            return CompiledSequence(
                name: name,
                mediators: mediators,
                onError: nil,
                location: location,
                readsBody: Self.readsBody(mediators, program: program)
            )
        }
    }

    private static func readsBody(_ mediators: [any CompiledMediator], program: MediationProgram) -> Bool {
        mediators.anyReadsBody || mediators.allReferences.contains { program.readsBody($0) }
    }
}
