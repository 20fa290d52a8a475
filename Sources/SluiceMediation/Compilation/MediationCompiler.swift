import SluiceModel

/// Compiles the mediation AST into runnable form at deploy time: named sequences and endpoints into a
/// `MediationProgram`, APIs into `CompiledAPI`s.
///
/// Every reference is checked here (class mediators, handler classes, expressions, regexes), so a broken artifact
/// fails deployment with its location instead of failing requests. Sequence, endpoint, template and local-entry
/// keys are the exception, as in Synapse, which looks them up per message: one that nothing deployed defines is
/// reported in `unresolvedReferences` and compiles to a fault (`MediationFault.sequenceNotFound`...) raised when
/// a message reaches it; deploying the missing artifact recompiles the program and resolves it.
public struct MediationCompiler: Sendable {
    /// The class mediators `<class name=>` may name.
    public var classMediators: ClassMediatorRegistry
    /// The handler classes an API's `<handlers>` may name.
    public var handlers: GatewayHandlerRegistry
    /// Opens the pools of `dblookup`/`dbreport`; nil compiles them to fault (checking artifacts, nothing runs).
    public var databases: (any DatabaseConnector)?
    /// The http(s) documents the deployer fetched (`<wsdl uri="https://...">`); nil refuses such URIs.
    public var networkSources: (any NetworkSources)?

    /// Creates a compiler with the given registries.
    public init(classMediators: ClassMediatorRegistry = .standard, handlers: GatewayHandlerRegistry = .standard) {
        self.classMediators = classMediators
        self.handlers = handlers
    }

    // MARK: - APIs and sequences

    /// Compiles an API against a program: its handler chain and every resource's sequences.
    /// - Throws: `MediationCompileError` for an unknown handler class or class mediator, or a broken expression,
    ///   located at the handler or resource (keys nothing defines go to `CompiledAPI.unresolvedReferences`).
    public func compile(api: SynapseAPI, in program: MediationProgram) throws(MediationCompileError) -> CompiledAPI {
        let chain = try handlers.makeChain(api.handlers, deployment: GatewayHandlerDeployment(api: api, program: program))
        var resources: [CompiledResource] = []
        var unresolved: [MediationCompileError] = []
        for resource in api.resources {
            let location = resource.location ?? api.location
            let inSequence = try resource.inSequence.map { slot throws(MediationCompileError) in
                try compile(slot, name: nil, in: program, location: location, unresolved: &unresolved)
            }
            let outSequence = try resource.outSequence.map { slot throws(MediationCompileError) in
                try compile(slot, name: nil, in: program, location: location, unresolved: &unresolved)
            }
            var faultSequence = program.faultSequence
            if case .key(let key) = resource.faultSequence, program.sequences[key] == nil {
                // Synapse's Resource falls back to the deployed fault sequence when its key finds nothing.
                unresolved.append(MediationCompileError(.unknownSequence(key), location: location))
            } else if let slot = resource.faultSequence {
                faultSequence = try compile(slot, name: "fault", in: program, location: location, unresolved: &unresolved)
            }
            resources.append(
                CompiledResource(
                    definition: resource,
                    inSequence: inSequence,
                    outSequence: outSequence,
                    faultSequence: faultSequence
                )
            )
        }
        return CompiledAPI(definition: api, handlers: chain, resources: resources, unresolvedReferences: unresolved)
    }

    /// Compiles one sequence (inline or named) against a program.
    /// - Throws: `MediationCompileError` as `compile(api:in:)` does.
    public func compile(
        sequence definition: SequenceDefinition,
        in program: MediationProgram
    ) throws(MediationCompileError) -> CompiledSequence {
        var compilation = MediatorCompilation(
            location: definition.location,
            classMediators: classMediators,
            throttleCounters: handlers.throttleCounters,
            databases: databases,
            networkSources: networkSources,
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

    /// Resolves an endpoint definition against a program's named endpoints (inline endpoints get fresh state); a
    /// key that is not deployed resolves to an endpoint that faults with 305100 when a message is sent to it.
    /// - Throws: `MediationCompileError` for an endpoint that cannot be built.
    public func resolve(
        endpoint: EndpointDefinition,
        in program: MediationProgram
    ) throws(MediationCompileError) -> ResolvedEndpoint {
        var resolver = EndpointResolver(
            definitions: [:],
            resolved: program.endpoints,
            templates: program.endpointTemplates,
            networkSources: networkSources
        )
        return try resolver.resolve(endpoint)
    }

    private func compile(
        _ slot: SequenceSlot,
        name: String?,
        in program: MediationProgram,
        location: SourceLocation?,
        unresolved: inout [MediationCompileError]
    ) throws(MediationCompileError) -> CompiledSequence {
        switch slot {
        case .key(let key):
            guard let sequence = program.sequences[key] else {
                // Synapse's Resource: "Specified sequence: … cannot be found", to the resource's fault sequence.
                unresolved.append(MediationCompileError(.unknownSequence(key), location: location))
                let fault = MediationFault(
                    code: SynapseErrorCode.mediationFailed,
                    message: "Specified sequence: \(key) cannot be found"
                )
                return CompiledSequence(
                    name: nil,
                    mediators: [CompiledUnresolvedReference(fault: fault)],
                    onError: nil,
                    location: location,
                    readsBody: false
                )
            }
            return sequence
        case .inline(let nodes):
            var compilation = MediatorCompilation(
                location: location,
                classMediators: classMediators,
                throttleCounters: handlers.throttleCounters,
                databases: databases,
                networkSources: networkSources,
                scope: program.scope
            )
            let mediators = try compilation.compile(nodes)
            unresolved += compilation.unresolved
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
