import SluiceModel

extension XMLWriter {
    /// Writes an `<api>`; `namespaces` holds the Synapse namespace when the API is the root element.
    func api(_ api: SynapseAPI, namespaces: [String: String]) {
        element(
            "api",
            [
                "name": api.name,
                "context": api.context,
                "version": api.version,
                "version-type": api.versionType?.rawValue,
                "hostname": api.hostname,
                "port": api.port.map(String.init),
                "transports": api.transports.map { $0.map(\.rawValue).joined(separator: " ") },
                "statistics": api.statistics ? "enable" : nil,
                "trace": api.trace ? "enable" : nil,
            ],
            namespaces: namespaces
        ) {
            for resource in api.resources { self.resource(resource) }
            if !api.handlers.isEmpty {
                element("handlers") {
                    for handler in api.handlers {
                        element("handler", ["class": handler.className]) {
                            for property in handler.properties {
                                element("property", ["name": property.name, "value": property.value])
                            }
                        }
                    }
                }
            }
        }
    }

    private func resource(_ resource: APIResource) {
        var urlMapping: String?
        var uriTemplate: String?
        switch resource.dispatcher {
        case .urlMapping(let mapping): urlMapping = mapping.description
        case .uriTemplate(let template): uriTemplate = template.raw
        case .none: break
        }
        func key(_ slot: SequenceSlot?) -> String? {
            if case .key(let name)? = slot { return name }
            return nil
        }
        element(
            "resource",
            [
                "methods": resource.methods.isEmpty ? nil : resource.methods.joined(separator: " "),
                "url-mapping": urlMapping,
                "uri-template": uriTemplate,
                "protocol": resource.protocolRestriction,
                "content-type": resource.contentType,
                "user-agent": resource.userAgent,
                "auth-type": resource.authType,
                "throttling-tier": resource.throttlingTier,
                "scopes": resource.scopes.isEmpty ? nil : resource.scopes.joined(separator: " "),
                "inSequence": key(resource.inSequence),
                "outSequence": key(resource.outSequence),
                "faultSequence": key(resource.faultSequence),
            ]
        ) {
            for (name, slot) in [
                ("inSequence", resource.inSequence), ("outSequence", resource.outSequence),
                ("faultSequence", resource.faultSequence),
            ] {
                if case .inline(let mediators)? = slot {
                    element(name) { self.mediators(mediators) }
                }
            }
        }
    }

    /// Writes a named `<sequence>`.
    func sequence(_ sequence: SequenceDefinition, namespaces: [String: String]) {
        element(
            "sequence",
            [
                "name": sequence.name,
                "onError": sequence.onError,
                "statistics": sequence.statistics ? "enable" : nil,
                "trace": sequence.trace ? "enable" : nil,
            ],
            namespaces: namespaces
        ) {
            if let description = sequence.description { textElement("description", description) }
            mediators(sequence.mediators)
        }
    }

    /// Writes an `<endpoint>` (named, inline or a reference).
    func endpoint(_ endpoint: EndpointDefinition, namespaces: [String: String] = [:]) {
        switch endpoint.kind {
        case .reference(let key):
            element("endpoint", ["name": endpoint.name, "key": key], namespaces: namespaces)
        case .address(let address):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                element("address", ["uri": address.uri, "format": address.format?.rawValue]) { qos(address.qos) }
                endpointProperties(endpoint)
            }
        case .http(let http):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                element(
                    "http",
                    [
                        "uri-template": http.uriTemplate,
                        "method": http.method?.lowercased(),
                        "format": http.format?.rawValue,
                    ]
                ) { qos(http.qos) }
                endpointProperties(endpoint)
            }
        case .loadbalance(let balance):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                if let session = balance.sessionType { element("session", ["type": session]) }
                element(
                    "loadbalance",
                    ["algorithm": balance.algorithm, "failover": balance.failover ? nil : "false"]
                ) {
                    for member in balance.members { self.endpoint(member) }
                }
                endpointProperties(endpoint)
            }
        case .failover(let failover):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                element("failover", ["dynamic": failover.dynamic ? nil : "false"]) {
                    for member in failover.members { self.endpoint(member) }
                }
                endpointProperties(endpoint)
            }
        }
    }

    private func endpointProperties(_ endpoint: EndpointDefinition) {
        mediators(endpoint.properties.map(MediatorNode.property))
    }

    private func qos(_ qos: EndpointQoS) {
        if let timeout = qos.timeout {
            element("timeout") {
                if let duration = timeout.duration { textElement("duration", String(duration)) }
                if let action = timeout.responseAction { textElement("responseAction", action.rawValue) }
            }
        }
        if let suspend = qos.suspendOnFailure {
            element("suspendOnFailure") {
                if !suspend.errorCodes.isEmpty { textElement("errorCodes", Self.codes(suspend.errorCodes)) }
                if let value = suspend.initialDuration { textElement("initialDuration", String(value)) }
                if let value = suspend.progressionFactor { textElement("progressionFactor", Self.number(value)) }
                if let value = suspend.maximumDuration { textElement("maximumDuration", String(value)) }
            }
        }
        if let mark = qos.markForSuspension {
            element("markForSuspension") {
                if !mark.errorCodes.isEmpty { textElement("errorCodes", Self.codes(mark.errorCodes)) }
                if let value = mark.retriesBeforeSuspension { textElement("retriesBeforeSuspension", String(value)) }
                if let value = mark.retryDelay { textElement("retryDelay", String(value)) }
            }
        }
    }

    private static func codes(_ codes: [Int]) -> String { codes.map(String.init).joined(separator: ",") }

    // WSO2 writes factors as "1.0"; whole numbers keep that form.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) + ".0" : String(value)
    }
}
