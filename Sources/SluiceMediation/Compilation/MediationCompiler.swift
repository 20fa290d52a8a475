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

    // MARK: - Programs

    /// Compiles the named sequences and endpoints of a set of artifacts (APIs are compiled separately with
    /// `compile(api:in:)`).
    public func compileProgram(_ artifacts: SynapseArtifacts) throws(MediationCompileError) -> MediationProgram {
        try compileProgram(sequences: artifacts.sequences, endpoints: artifacts.endpoints)
    }

    /// Compiles named sequences and endpoints into a program.
    /// - Parameters:
    ///   - sequences: Named sequences (later ones with the same name win).
    ///   - endpoints: Named endpoints (each with a `name`).
    /// - Throws: `MediationCompileError` for the first broken reference or mediator.
    public func compileProgram(
        sequences: [SequenceDefinition],
        endpoints: [EndpointDefinition]
    ) throws(MediationCompileError) -> MediationProgram {
        var definitions: [String: EndpointDefinition] = [:]
        for endpoint in endpoints {
            guard let name = endpoint.name else {
                throw MediationCompileError(
                    .unsupported("a top-level endpoint without a name"),
                    location: endpoint.location
                )
            }
            definitions[name] = endpoint
        }
        var resolver = EndpointResolver(definitions: definitions)
        for name in definitions.keys.sorted() {
            _ = try resolver.resolveNamed(name, location: definitions[name]?.location)
        }

        let sequenceNames = Set(sequences.map(\.name))
        var compiled: [String: (mediators: [any CompiledMediator], definition: SequenceDefinition)] = [:]
        for definition in sequences {
            if let onError = definition.onError, !sequenceNames.contains(onError) {
                throw MediationCompileError(.unknownSequence(onError), location: definition.location)
            }
            var compilation = compilation(
                location: definition.location,
                sequenceNames: sequenceNames,
                endpoints: resolver.resolved
            )
            compiled[definition.name] = (try compilation.compile(definition.mediators), definition)
        }

        // A named sequence reads the body when it, or any sequence it runs, does; iterate to a fixed point
        // because sequences may refer to each other in any order.
        var readsBody = compiled.mapValues { $0.mediators.anyReadsBody }
        var changed = true
        while changed {
            changed = false
            for (name, entry) in compiled where readsBody[name] != true {
                let references = entry.mediators.referencedSequenceNames
                if references.contains(where: { readsBody[$0] == true }) {
                    readsBody[name] = true
                    changed = true
                }
            }
        }
        var result: [String: CompiledSequence] = [:]
        for (name, entry) in compiled {
            result[name] = CompiledSequence(
                name: name,
                mediators: entry.mediators,
                onError: entry.definition.onError,
                location: entry.definition.location,
                readsBody: readsBody[name] ?? false
            )
        }
        return MediationProgram(sequences: result, endpoints: resolver.resolved)
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
        var compilation = compilation(
            location: definition.location,
            sequenceNames: Set(program.sequences.keys),
            endpoints: program.endpoints
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
        var resolver = EndpointResolver(definitions: [:], resolved: program.endpoints)
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
            var compilation = compilation(
                location: location,
                sequenceNames: Set(program.sequences.keys),
                endpoints: program.endpoints
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
        mediators.anyReadsBody
            || mediators.referencedSequenceNames.contains { program.sequences[$0]?.readsBody ?? false }
    }

    // MARK: - Mediators

    private func compilation(
        location: SourceLocation?,
        sequenceNames: Set<String>,
        endpoints: [String: ResolvedEndpoint]
    ) -> MediatorCompilation {
        MediatorCompilation(
            location: location,
            classMediators: classMediators,
            sequenceNames: sequenceNames,
            endpoints: endpoints
        )
    }
}
