import SluiceModel

/// Resolves endpoint definitions: named references to the shared resolved endpoint, leaves to fresh state.
struct EndpointResolver {
    let definitions: [String: EndpointDefinition]
    private(set) var resolved: [String: ResolvedEndpoint]
    /// Endpoint templates by name, for `<endpoint template=>`.
    let templates: [String: SynapseTemplate]
    private var resolving: Set<String> = []
    /// Templates being instantiated, so a template that instantiates itself is a compile error, not a loop.
    private var instantiating: Set<String> = []

    init(
        definitions: [String: EndpointDefinition],
        resolved: [String: ResolvedEndpoint] = [:],
        templates: [String: SynapseTemplate] = [:]
    ) {
        self.definitions = definitions
        self.resolved = resolved
        self.templates = templates
    }

    /// Resolves the named endpoint `name` once; later calls return the same instance.
    mutating func resolveNamed(
        _ name: String,
        location: SourceLocation?
    ) throws(MediationCompileError) -> ResolvedEndpoint {
        if let endpoint = resolved[name] { return endpoint }
        guard let definition = definitions[name] else {
            throw MediationCompileError(.unknownEndpoint(name), location: location)
        }
        guard resolving.insert(name).inserted else {
            throw MediationCompileError(.cyclicReference(name), location: definition.location ?? location)
        }
        defer { resolving.remove(name) }
        let endpoint = try resolve(definition)
        resolved[name] = endpoint
        return endpoint
    }

    /// Resolves a definition (inline or named).
    mutating func resolve(_ definition: EndpointDefinition) throws(MediationCompileError) -> ResolvedEndpoint {
        switch definition.kind {
        case .reference(let key):
            return try resolveNamed(key, location: definition.location)
        case .template(let templateEndpoint):
            guard let template = templates[templateEndpoint.template] else {
                throw MediationCompileError(.unknownTemplate(templateEndpoint.template), location: definition.location)
            }
            guard instantiating.insert(template.name).inserted else {
                throw MediationCompileError(.cyclicReference(template.name), location: definition.location)
            }
            defer { instantiating.remove(template.name) }
            let instance = try EndpointTemplateInstance.make(
                templateEndpoint,
                name: definition.name,
                from: template,
                location: definition.location
            )
            return try resolve(instance)
        case .address(let address):
            let leaf = EndpointLeaf(
                name: definition.name,
                target: .address(uri: address.uri),
                format: address.format,
                qos: address.qos
            )
            return ResolvedEndpoint(name: definition.name, kind: .leaf(leaf))
        case .http(let http):
            let leaf = EndpointLeaf(
                name: definition.name,
                target: .http(uriTemplate: http.uriTemplate, method: http.method),
                format: http.format,
                qos: http.qos
            )
            return ResolvedEndpoint(name: definition.name, kind: .leaf(leaf))
        case .loadbalance(let group):
            if let algorithm = group.algorithm, !Self.isRoundRobin(algorithm) {
                throw MediationCompileError(
                    .unsupported("load-balance algorithm '\(algorithm)'"),
                    location: definition.location
                )
            }
            guard !group.members.isEmpty else {
                throw MediationCompileError(
                    .unsupported("load-balance endpoint without members"),
                    location: definition.location
                )
            }
            var members: [ResolvedEndpoint] = []
            for member in group.members { members.append(try resolve(member)) }
            // Session affinity pins a client to one member, which rules out failing over (as in Synapse).
            let failover = group.failover && group.sessionType == nil
            return ResolvedEndpoint(
                name: definition.name,
                kind: .loadbalance(members: members, failover: failover, cursor: RoundRobinCursor())
            )
        case .failover(let group):
            guard !group.members.isEmpty else {
                throw MediationCompileError(
                    .unsupported("failover endpoint without members"),
                    location: definition.location
                )
            }
            var members: [ResolvedEndpoint] = []
            for member in group.members { members.append(try resolve(member)) }
            return ResolvedEndpoint(name: definition.name, kind: .failover(members: members))
        }
    }

    private static func isRoundRobin(_ algorithm: String) -> Bool {
        algorithm == "roundRobin" || algorithm.hasSuffix(".RoundRobin")
    }
}
