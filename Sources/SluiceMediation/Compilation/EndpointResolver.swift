import SluiceModel
internal import SluiceXML

/// Resolves endpoint definitions: named references to the shared resolved endpoint, leaves to fresh state.
struct EndpointResolver {
    let definitions: [String: EndpointDefinition]
    private(set) var resolved: [String: ResolvedEndpoint]
    /// Endpoint templates by name, for `<endpoint template=>`.
    let templates: [String: SynapseTemplate]
    private var resolving: Set<String> = []
    /// Templates being instantiated, so a template that instantiates itself is a compile error, not a loop.
    private var instantiating: Set<String> = []
    /// Keys and templates nothing deployed defines: each compiles to an endpoint that faults when a message is
    /// sent to it (Synapse's indirect and template endpoints look their key up per message).
    private(set) var unresolved: [MediationCompileError] = []
    /// The WSDL documents the deployer fetched (`<wsdl uri="https://...">`); nil refuses such URIs.
    let networkSources: (any NetworkSources)?

    init(
        definitions: [String: EndpointDefinition],
        resolved: [String: ResolvedEndpoint] = [:],
        templates: [String: SynapseTemplate] = [:],
        networkSources: (any NetworkSources)? = nil
    ) {
        self.definitions = definitions
        self.resolved = resolved
        self.templates = templates
        self.networkSources = networkSources
    }

    /// Resolves the named endpoint `name` once; later calls return the same instance.
    mutating func resolveNamed(
        _ name: String,
        location: SourceLocation?
    ) throws(MediationCompileError) -> ResolvedEndpoint {
        if let endpoint = resolved[name] { return endpoint }
        guard let definition = definitions[name] else {
            unresolved.append(MediationCompileError(.unknownEndpoint(name), location: location))
            return ResolvedEndpoint(name: name, kind: .unresolved(.endpointNotFound(name)))
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
                unresolved.append(MediationCompileError(.unknownTemplate(templateEndpoint.template), location: definition.location))
                let fault = MediationFault.endpointNotFound(definition.name ?? "", template: templateEndpoint.template)
                return ResolvedEndpoint(name: definition.name, kind: .unresolved(fault))
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
                qos: address.qos,
                dynamicTimeout: try Self.dynamicTimeout(of: address.qos, location: definition.location)
            )
            return ResolvedEndpoint(name: definition.name, kind: .leaf(leaf))
        case .http(let http):
            let leaf = EndpointLeaf(
                name: definition.name,
                target: .http(uriTemplate: http.uriTemplate, method: http.method),
                format: http.format,
                qos: http.qos,
                dynamicTimeout: try Self.dynamicTimeout(of: http.qos, location: definition.location),
                credentials: try http.authentication.map { authentication throws(MediationCompileError) in
                    try EndpointCredentials(authentication, location: definition.location)
                },
                oauth: try http.oauth.map { oauth throws(MediationCompileError) in
                    try OAuthTokenSource(oauth, endpointName: definition.name, location: definition.location)
                }
            )
            return ResolvedEndpoint(name: definition.name, kind: .leaf(leaf))
        case .wsdl(let wsdl):
            guard let address = try address(of: wsdl, location: definition.location) else {
                // Checked offline: the endpoint is there, its address is not known.
                let fault = MediationFault.endpointNotFound(definition.name ?? wsdl.uri ?? "")
                return ResolvedEndpoint(name: definition.name, kind: .unresolved(fault))
            }
            let leaf = EndpointLeaf(
                name: definition.name,
                target: .address(uri: address.uri),
                format: wsdl.format ?? address.format,
                qos: wsdl.qos,
                dynamicTimeout: try Self.dynamicTimeout(of: wsdl.qos, location: definition.location)
            )
            return ResolvedEndpoint(name: definition.name, kind: .leaf(leaf))
        case .defaultAddress(let defaultEndpoint):
            let leaf = EndpointLeaf(
                name: definition.name,
                target: .messageTo,
                format: defaultEndpoint.format,
                qos: defaultEndpoint.qos,
                dynamicTimeout: try Self.dynamicTimeout(of: defaultEndpoint.qos, location: definition.location)
            )
            return ResolvedEndpoint(name: definition.name, kind: .leaf(leaf))
        case .loadbalance(let group):
            let weighted = try Self.isWeighted(group, location: definition.location)
            guard !group.members.isEmpty || !group.clusterMembers.isEmpty else {
                throw MediationCompileError(
                    .unsupported("load-balance endpoint without members"),
                    location: definition.location
                )
            }
            let members: [ResolvedEndpoint]
            if group.clusterMembers.isEmpty {
                members = try resolveMembers(group.members, of: "load-balance", location: definition.location)
            } else {
                members = group.clusterMembers.map { server in
                    ResolvedEndpoint(name: nil, kind: .leaf(EndpointLeaf(name: nil, target: .clusterMember(server))))
                }
            }
            let cursor =
                weighted
                ? RoundRobinCursor(weights: try Self.weights(of: group.members, location: definition.location))
                : RoundRobinCursor()
            // Session affinity pins a client to one member, which rules out failing over (as in Synapse).
            let failover = group.failover && group.sessionType == nil
            return ResolvedEndpoint(
                name: definition.name,
                kind: .loadbalance(members: members, failover: failover, cursor: cursor)
            )
        case .failover(let group):
            guard !group.members.isEmpty else {
                throw MediationCompileError(
                    .unsupported("failover endpoint without members"),
                    location: definition.location
                )
            }
            let members = try resolveMembers(group.members, of: "failover", location: definition.location)
            return ResolvedEndpoint(name: definition.name, kind: .failover(members: members))
        case .recipientList(let list):
            switch list.recipients {
            case .endpoints(let definitions):
                guard !definitions.isEmpty else {
                    throw MediationCompileError(.unsupported("recipientlist endpoint without members"), location: definition.location)
                }
                var members: [ResolvedEndpoint] = []
                for member in definitions { members.append(try resolve(member)) }
                return ResolvedEndpoint(name: definition.name, kind: .recipientList(RecipientList(members: members)))
            case .addresses(let value, let maxCache):
                let addresses = try CompiledValue(value, location: definition.location)
                let list = RecipientList(addresses: addresses, maxCache: maxCache ?? RecipientListEndpoint.defaultMaxCache)
                return ResolvedEndpoint(name: definition.name, kind: .recipientList(list))
            }
        }
    }

    /// The members of a load-balance or failover group, each one endpoint a message is tried on: a recipient list
    /// (several messages) cannot be one.
    private mutating func resolveMembers(
        _ definitions: [EndpointDefinition],
        of group: String,
        location: SourceLocation?
    ) throws(MediationCompileError) -> [ResolvedEndpoint] {
        var members: [ResolvedEndpoint] = []
        for definition in definitions {
            let member = try resolve(definition)
            if member.isRecipientList {
                throw MediationCompileError(
                    .unsupported("a recipientlist endpoint as a member of a \(group) endpoint"),
                    location: definition.location ?? location
                )
            }
            members.append(member)
        }
        return members
    }

    /// The address of a WSDL endpoint, read once per deployment from the inline document, a local file, or the
    /// http(s) document the deployer fetched when the file deployed (as Synapse's WSDLEndpointFactory fetches it);
    /// nil when checked offline (with a warning).
    private mutating func address(
        of wsdl: WSDLEndpoint,
        location: SourceLocation?
    ) throws(MediationCompileError) -> WSDLServiceAddress? {
        func failure(_ reason: String) -> MediationCompileError {
            MediationCompileError(.invalidConfiguration(className: "wsdl endpoint", reason: reason), location: location)
        }
        let text: String
        let uri = wsdl.uri ?? ""
        if let inline = wsdl.inlineDefinition {
            text = inline
        } else if NetworkDocument.isNetworkURL(uri) {
            guard let networkSources else {
                throw MediationCompileError(
                    .unsupported("WSDL '\(uri)' is fetched only when a gateway deploys the file"),
                    location: location
                )
            }
            switch networkSources.document(at: uri, for: location?.file ?? "") {
            case .fetched(let bytes):
                text = String(decoding: bytes, as: UTF8.self)
            case .failed(let reason):
                throw failure("cannot fetch the WSDL '\(uri)': \(reason)")
            case .pending:
                throw failure("the WSDL '\(uri)' " + NetworkDocument.pendingNote)
            case .offline:
                let warning = NetworkDocument.offlineWarning("WSDL '\(uri)'")
                unresolved.append(MediationCompileError(.faultsWhenReached(warning), location: location))
                return nil
            }
        } else {
            let lowered = uri.lowercased()
            if lowered.hasPrefix("gov:") || lowered.hasPrefix("conf:") {
                throw MediationCompileError(
                    .unsupported(
                        "WSDL '\(uri)' is a registry key; save it as a file (uri=\"file:...\") or write it inside "
                            + "<wsdl>"
                    ),
                    location: location
                )
            }
            do {
                let bytes = try SynapseFileURL.contents(
                    of: uri,
                    artifact: location?.file,
                    limit: WSDLServiceAddress.maximumFileBytes
                )
                text = String(decoding: bytes, as: UTF8.self)
            } catch {
                throw failure("cannot read the WSDL '\(uri)': \(error.message)")
            }
        }
        do {
            return try WSDLServiceAddress.find(service: wsdl.service, port: wsdl.port, in: text)
        } catch {
            let origin = NetworkDocument.isNetworkURL(uri) && wsdl.inlineDefinition == nil ? "the WSDL '\(uri)': " : ""
            throw failure(origin + error.message)
        }
    }

    /// A `<duration>{expression}</duration>` compiled, nil for a fixed or no duration.
    private static func dynamicTimeout(
        of qos: EndpointQoS,
        location: SourceLocation?
    ) throws(MediationCompileError) -> CompiledExpression? {
        guard let expression = qos.timeout?.durationExpression else { return nil }
        return try CompiledExpression(expression, location: location)
    }

    /// Whether a group balances by weight: Synapse ships `RoundRobin` (the default, also `policy="roundRobin"`)
    /// and `WeightedRoundRobin`, which works on member endpoints only (its `setApplicationMembers` throws).
    private static func isWeighted(_ group: LoadbalanceEndpoint, location: SourceLocation?) throws(MediationCompileError) -> Bool {
        guard let algorithm = group.algorithm else { return false }
        if algorithm == "roundRobin" || algorithm == "org.apache.synapse.endpoints.algorithms.RoundRobin" { return false }
        guard algorithm == LoadbalanceEndpoint.weightedRoundRobin else {
            throw MediationCompileError(.unsupported("load-balance algorithm '\(algorithm)'"), location: location)
        }
        guard group.clusterMembers.isEmpty else {
            throw MediationCompileError(
                .unsupported("load-balance algorithm '\(algorithm)' over <member> servers: it weighs member endpoints only"),
                location: location
            )
        }
        return true
    }

    /// Each member's `loadbalance.weight` property (default 1), as `WeightedRoundRobin.init` reads it: a whole
    /// number above zero, fixed when the endpoint deploys.
    private static func weights(
        of members: [EndpointDefinition],
        location: SourceLocation?
    ) throws(MediationCompileError) -> [Int] {
        var weights: [Int] = []
        for member in members {
            guard let property = member.properties.last(where: { $0.name == LoadbalanceEndpoint.weightProperty }) else {
                weights.append(1)
                continue
            }
            guard case .literal(let text) = property.value, let weight = Int(text.trimmingWhitespace()), weight > 0 else {
                throw MediationCompileError(
                    .invalidConfiguration(
                        className: "loadbalance endpoint",
                        reason: "'\(LoadbalanceEndpoint.weightProperty)' must be a whole number greater than zero"
                    ),
                    location: member.location ?? location
                )
            }
            weights.append(weight)
        }
        return weights
    }
}
