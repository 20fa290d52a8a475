package import SluiceModel
package import SluiceXML

extension XMLWriter {
    /// Writes an `<endpoint>` (named, inline or a reference).
    package func endpoint(_ endpoint: EndpointDefinition, namespaces: [String: String] = [:]) {
        switch endpoint.kind {
        case .reference(let key):
            if let expression = DynamicKey.expressionText(key) {
                element("endpoint", ["name": endpoint.name, "key-expression": expression], namespaces: namespaces)
            } else {
                element("endpoint", ["name": endpoint.name, "key": key], namespaces: namespaces)
            }
        case .template(let template):
            element(
                "endpoint",
                ["name": endpoint.name, "template": template.template, "uri": template.uri],
                namespaces: namespaces
            ) {
                for parameter in template.parameters {
                    element("parameter", ["name": parameter.name, "value": parameter.value])
                }
                endpointProperties(endpoint)
            }
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
                ) {
                    authentication(of: http)
                    qos(http.qos)
                }
                endpointProperties(endpoint)
            }
        case .wsdl(let wsdl):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                element(
                    "wsdl",
                    ["uri": wsdl.uri, "service": wsdl.service, "port": wsdl.port, "format": wsdl.format?.rawValue]
                ) {
                    if let definition = wsdl.inlineDefinition { rawText(definition) }
                    qos(wsdl.qos)
                }
                endpointProperties(endpoint)
            }
        case .defaultAddress(let defaultEndpoint):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                element("default", ["format": defaultEndpoint.format?.rawValue]) { qos(defaultEndpoint.qos) }
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
                    for server in balance.clusterMembers {
                        element(
                            "member",
                            [
                                "hostName": server.hostName, "httpPort": server.httpPort.map(String.init),
                                "httpsPort": server.httpsPort.map(String.init),
                            ]
                        )
                    }
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
        case .recipientList(let list):
            element("endpoint", ["name": endpoint.name], namespaces: namespaces) {
                element("recipientlist") {
                    switch list.recipients {
                    case .endpoints(let members):
                        for member in members { self.endpoint(member) }
                    case .addresses(.literal(let text), let maxCache):
                        element("endpoints", ["value": text, "max-cache": maxCache.map(String.init)])
                    case .addresses(.expression(let expression), let maxCache):
                        element(
                            "endpoints",
                            ["value": DynamicKey.key(for: expression.source), "max-cache": maxCache.map(String.init)],
                            namespaces: expression.namespaces
                        )
                    }
                }
                endpointProperties(endpoint)
            }
        }
    }

    private func endpointProperties(_ endpoint: EndpointDefinition) {
        for property in endpoint.properties {
            let (value, expression) = Self.valueAttributes(property.value)
            element(
                "property",
                [
                    "name": property.name,
                    "value": value,
                    "expression": expression,
                    "scope": property.scope == .default ? nil : property.scope.rawValue,
                ],
                namespaces: Self.namespaces(of: property.value)
            )
        }
    }

    private func qos(_ qos: EndpointQoS) {
        if let timeout = qos.timeout {
            element("timeout") {
                if let duration = timeout.duration { textElement("duration", String(duration)) }
                if let expression = timeout.durationExpression {
                    textElement("duration", [:], "{" + expression.source + "}", namespaces: expression.namespaces)
                }
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
        if let retry = qos.retry {
            element("retryConfig") {
                if !retry.disabledErrorCodes.isEmpty { textElement("disabledErrorCodes", Self.codes(retry.disabledErrorCodes)) }
                if !retry.enabledErrorCodes.isEmpty { textElement("enabledErrorCodes", Self.codes(retry.enabledErrorCodes)) }
            }
        }
        if let addressing = qos.addressing {
            element(
                "enableAddressing",
                [
                    "version": addressing.version?.rawValue,
                    "separateListener": addressing.separateListener.map { $0 ? "true" : "false" },
                ]
            )
        }
    }

    private static func codes(_ codes: [Int]) -> String { codes.map(String.init).joined(separator: ",") }

    // WSO2 writes factors as "1.0"; whole numbers keep that form.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) + ".0" : String(value)
    }
}
