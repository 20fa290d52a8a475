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

        var scope = Scope(sequenceNames: Set(sequences.map(\.name)), endpoints: resolver.resolved)
        var compiled: [String: (mediators: [CompiledMediator], definition: SequenceDefinition)] = [:]
        for definition in sequences {
            if let onError = definition.onError, !scope.sequenceNames.contains(onError) {
                throw MediationCompileError(.unknownSequence(onError), location: definition.location)
            }
            compiled[definition.name] = (
                try compile(definition.mediators, scope: &scope, location: definition.location), definition
            )
        }

        // A named sequence reads the body when it, or any sequence it runs, does; iterate to a fixed point
        // because sequences may refer to each other in any order.
        var readsBody = compiled.mapValues { $0.mediators.contains(where: \.readsBody) }
        var changed = true
        while changed {
            changed = false
            for (name, entry) in compiled where readsBody[name] != true {
                let references = entry.mediators.flatMap(\.referencedSequences)
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
        var scope = Scope(sequenceNames: Set(program.sequences.keys), endpoints: program.endpoints)
        let mediators = try compile(definition.mediators, scope: &scope, location: definition.location)
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
            var scope = Scope(sequenceNames: Set(program.sequences.keys), endpoints: program.endpoints)
            let mediators = try compile(nodes, scope: &scope, location: location)
            return CompiledSequence(
                name: name,
                mediators: mediators,
                onError: nil,
                location: location,
                readsBody: Self.readsBody(mediators, program: program)
            )
        }
    }

    private static func readsBody(_ mediators: [CompiledMediator], program: MediationProgram) -> Bool {
        mediators.contains(where: \.readsBody)
            || mediators.flatMap(\.referencedSequences).contains { program.sequences[$0]?.readsBody ?? false }
    }

    // MARK: - Mediators

    /// What names resolve to while compiling.
    private struct Scope {
        var sequenceNames: Set<String>
        var endpoints: [String: ResolvedEndpoint]
    }

    private func compile(
        _ nodes: [MediatorNode],
        scope: inout Scope,
        location: SourceLocation?
    ) throws(MediationCompileError) -> [CompiledMediator] {
        var result: [CompiledMediator] = []
        result.reserveCapacity(nodes.count)
        for node in nodes {
            result.append(try compile(node, scope: &scope, location: location))
        }
        return result
    }

    private func compile(
        _ node: MediatorNode,
        scope: inout Scope,
        location: SourceLocation?
    ) throws(MediationCompileError) -> CompiledMediator {
        switch node {
        case .send(let send):
            if let receive = send.receive, !scope.sequenceNames.contains(receive) {
                throw MediationCompileError(.unknownSequence(receive), location: location)
            }
            let endpoint = try send.endpoint.map { definition throws(MediationCompileError) in
                try resolveInline(definition, scope: &scope, location: location)
            }
            return .send(endpoint, receive: send.receive)
        case .call(let call):
            guard let definition = call.endpoint else {
                throw MediationCompileError(.unsupported("call without an endpoint"), location: location)
            }
            return .call(try resolveInline(definition, scope: &scope, location: location))
        case .loopback:
            return .loopback
        case .respond:
            return .respond
        case .drop:
            return .drop
        case .property(let property):
            return .property(try CompiledPropertyMediator(property, location: location))
        case .header(let header):
            return .header(try CompiledHeaderMediator(header, location: location))
        case .log(let log):
            return .log(try CompiledLogMediator(log, location: location))
        case .filter(let filter):
            return .filter(
                try CompiledFilterCondition(filter.condition, location: location),
                then: try compile(filter.then, scope: &scope, location: location),
                otherwise: try compile(filter.otherwise, scope: &scope, location: location)
            )
        case .payloadFactory(let payload):
            return .payloadFactory(try CompiledPayloadFactory(payload, location: location))
        case .sequence(let key):
            guard scope.sequenceNames.contains(key) else {
                throw MediationCompileError(.unknownSequence(key), location: location)
            }
            return .sequence(key: key)
        case .enrich(let enrich):
            return .enrich(try CompiledEnrichMediator(enrich, location: location))
        case .classMediator(let node):
            return .classMediator(name: node.className, try classMediators.makeMediator(node, location: location))
        }
    }

    private func resolveInline(
        _ definition: EndpointDefinition,
        scope: inout Scope,
        location: SourceLocation?
    ) throws(MediationCompileError) -> ResolvedEndpoint {
        var resolver = EndpointResolver(definitions: [:], resolved: scope.endpoints)
        do {
            return try resolver.resolve(definition)
        } catch var error {
            if error.location == nil { error.location = location }
            throw error
        }
    }
}
