import SluiceModel

/// The production and sandbox endpoints of one API, as WSO2's `endpoint_template.xml` writes them.
///
/// Single endpoints are named `<api>_APIproductionEndpoint_0`. A load-balanced or failover endpoint takes that
/// name itself and its members are numbered from 1, so no two endpoints of an artifact share a name.
struct EndpointPair {
    var production: EndpointDefinition?
    var sandbox: EndpointDefinition?

    init(definition: APIDefinition, apiName: String) {
        guard let config = definition.endpointConfig else { return }
        production = Self.endpoint(
            config: config,
            primaries: config.productionEndpoints,
            failovers: config.productionFailovers,
            name: "\(apiName)_APIproductionEndpoint"
        )
        sandbox = Self.endpoint(
            config: config,
            primaries: config.sandboxEndpoints,
            failovers: config.sandboxFailovers,
            name: "\(apiName)_APIsandboxEndpoint"
        )
    }

    // WSO2 API-M never suspends an endpoint unless the publisher asks for it (`endpoint_template.xml`, macro
    // `timeout`): the runtime would otherwise take a backend out for 30 s after one failed call.
    static let defaultTimeout: Int64 = 30_000

    private static func endpoint(
        config: APIEndpointConfig,
        primaries: [APIEndpoint],
        failovers: [APIEndpoint],
        name: String
    ) -> EndpointDefinition? {
        guard let first = primaries.first else { return nil }
        switch config.endpointType {
        case .http, .address:
            return leaf(first, type: config.endpointType, config: config, name: "\(name)_0")
        case .loadBalance:
            let session = config.sessionManagement.flatMap { $0.isEmpty || $0 == "none" ? nil : $0 }
            return EndpointDefinition(
                name: "\(name)_0",
                kind: .loadbalance(
                    LoadbalanceEndpoint(
                        algorithm: config.algorithmClassName.flatMap { $0.isEmpty ? nil : $0 },
                        sessionType: session,
                        members: members(primaries, config: config, name: name)
                    )
                )
            )
        case .failover:
            return EndpointDefinition(
                name: "\(name)_0",
                kind: .failover(FailoverEndpoint(members: members(primaries + failovers, config: config, name: name)))
            )
        }
    }

    private static func members(
        _ entries: [APIEndpoint],
        config: APIEndpointConfig,
        name: String
    )
        -> [EndpointDefinition]
    {
        entries.enumerated().map { index, entry in
            leaf(entry, type: .http, config: config, name: "\(name)_\(index + 1)")
        }
    }

    private static func leaf(
        _ entry: APIEndpoint,
        type: APIEndpointConfig.EndpointType,
        config: APIEndpointConfig,
        name: String
    ) -> EndpointDefinition {
        let qos = qos(entry.config, defaultTimeout: config.endpointTimeout)
        let kind: EndpointDefinition.Kind =
            type == .address
            ? .address(AddressEndpoint(uri: entry.url, qos: qos))
            : .http(HTTPEndpoint(uriTemplate: entry.url, qos: qos))
        return EndpointDefinition(name: name, kind: kind)
    }

    static func qos(_ advanced: APIEndpointAdvancedConfig?, defaultTimeout: Int64?) -> EndpointQoS {
        let advanced = advanced ?? APIEndpointAdvancedConfig()
        return EndpointQoS(
            timeout: EndpointTimeout(
                duration: advanced.actionDuration ?? defaultTimeout ?? Self.defaultTimeout,
                responseAction: advanced.actionSelect.flatMap(EndpointTimeout.ResponseAction.init(rawValue:)) ?? .fault
            ),
            suspendOnFailure: SuspendOnFailure(
                errorCodes: advanced.suspendErrorCode.isEmpty ? [-1] : advanced.suspendErrorCode,
                initialDuration: advanced.suspendDuration ?? 0,
                progressionFactor: advanced.factor ?? 1.0,
                maximumDuration: advanced.suspendMaxDuration ?? 0
            ),
            markForSuspension: MarkForSuspension(
                errorCodes: advanced.retryErrorCode.isEmpty ? [-1] : advanced.retryErrorCode,
                retriesBeforeSuspension: advanced.retryTimeOut,
                retryDelay: advanced.retryDelay
            )
        )
    }
}
