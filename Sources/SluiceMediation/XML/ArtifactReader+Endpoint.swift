package import SluiceModel
package import SluiceXML

extension ArtifactReader {
    /// Reads `<endpoint [name] [key]>` holding one of `address`, `http`, `loadbalance`, `failover`, plus
    /// `<property>` children.
    package func readEndpoint(_ element: XMLElementNode) -> EndpointDefinition? {
        let name = element.attribute("name")
        ignoreText(in: element)
        if let key = element.attribute("key") {
            rejectChildren(of: element)
            return EndpointDefinition(name: name, kind: .reference(key: key), location: location(of: element))
        }
        // Synapse's dynamic endpoint: the expression names a deployed endpoint per message. Kept as the key
        // `{expression}`, the form sequences use for theirs.
        if let expression = element.attribute("key-expression") {
            rejectChildren(of: element)
            guard self.expression(expression, attribute: "key-expression", of: element) != nil else { return nil }
            let key = DynamicKey.key(for: expression)
            return EndpointDefinition(name: name, kind: .reference(key: key), location: location(of: element))
        }
        if let template = element.attribute("template") {
            return readTemplateEndpoint(element, name: name, template: template)
        }
        var kind: EndpointDefinition.Kind?
        var sessionType: String?
        var properties: [EndpointProperty] = []
        var ok = true
        for child in element.childElements {
            guard isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            if child.localName == "property" {
                if let property = readEndpointProperty(child) { properties.append(property) } else { ok = false }
                continue
            }
            if child.localName == "session" {
                sessionType = required("type", of: child)
                rejectChildren(of: child)
                continue
            }
            let read: EndpointDefinition.Kind?
            switch child.localName {
            case "address": read = readAddress(child).map(EndpointDefinition.Kind.address)
            case "http": read = readHTTP(child).map(EndpointDefinition.Kind.http)
            case "loadbalance": read = readLoadbalance(child).map(EndpointDefinition.Kind.loadbalance)
            case "failover": read = readFailover(child).map(EndpointDefinition.Kind.failover)
            case "wsdl": read = readWSDL(child).map(EndpointDefinition.Kind.wsdl)
            case "default": read = readDefault(child).map(EndpointDefinition.Kind.defaultAddress)
            case "recipientlist": read = readRecipientList(child).map(EndpointDefinition.Kind.recipientList)
            case "dynamicLoadbalance", "serviceDynamicLoadbalance":
                refuseMembershipLoadbalance(child)
                read = nil
            default:
                reportUnknown(child, in: element)
                ok = false
                continue
            }
            guard let read else {
                ok = false
                continue
            }
            if kind != nil {
                report("<endpoint> holds more than one endpoint type", at: child)
                ok = false
            }
            kind = read
        }
        if let sessionType {
            if case .loadbalance(var balance)? = kind {
                balance.sessionType = sessionType
                kind = .loadbalance(balance)
            } else if kind != nil {
                report("<session> is allowed only beside <loadbalance>", at: element)
                ok = false
            }
        }
        guard ok else { return nil }
        guard let kind else {
            report(
                "<endpoint> needs a 'key' attribute or one of <address>, <http>, <wsdl>, <default>, <loadbalance>, "
                    + "<failover>, <recipientlist>",
                at: element
            )
            return nil
        }
        return EndpointDefinition(name: name, kind: kind, location: location(of: element), properties: properties)
    }

    /// `<endpoint [name=] template= [uri=]><parameter name= value=/>*</endpoint>`.
    private func readTemplateEndpoint(_ element: XMLElementNode, name: String?, template: String) -> EndpointDefinition? {
        var parameters: [TemplateEndpoint.Parameter] = []
        var properties: [EndpointProperty] = []
        var ok = true
        for child in element.childElements {
            if isSynapse(child, named: "parameter") {
                rejectChildren(of: child)
                guard let parameterName = required("name", of: child), let value = child.attribute("value") else {
                    if child.attribute("value") == nil { report("<parameter> of a template endpoint needs a 'value'", at: child) }
                    ok = false
                    continue
                }
                parameters.append(TemplateEndpoint.Parameter(name: parameterName, value: value))
            } else if isSynapse(child, named: "property") {
                if let property = readEndpointProperty(child) { properties.append(property) } else { ok = false }
            } else {
                reportUnknown(child, in: element)
                ok = false
            }
        }
        guard ok else { return nil }
        return EndpointDefinition(
            name: name,
            kind: .template(TemplateEndpoint(template: template, uri: element.attribute("uri"), parameters: parameters)),
            location: location(of: element),
            properties: properties
        )
    }

    /// `<property name= (value=|expression=) [scope=]/>` of an endpoint.
    private func readEndpointProperty(_ element: XMLElementNode) -> EndpointProperty? {
        ignoreText(in: element)
        rejectChildren(of: element)
        let name = required("name", of: element)
        let scope = enumeration("scope", of: element, as: PropertyScope.self, caseInsensitive: true) ?? .default
        guard case .value(let value) = valueSource(of: element, optional: false, owner: "<property> '\(name ?? "")'"),
            let name
        else { return nil }
        return EndpointProperty(name: name, value: value, scope: scope)
    }

    private func readAddress(_ element: XMLElementNode) -> AddressEndpoint? {
        let uri = required("uri", of: element)
        let format = enumeration("format", of: element, as: MessageFormat.self)
        guard let qos = readQoS(element), let uri else { return nil }
        return AddressEndpoint(uri: uri, format: format, qos: qos)
    }

    private func readHTTP(_ element: XMLElementNode) -> HTTPEndpoint? {
        let template = required("uri-template", of: element)
        var method: String?
        if let raw = element.attribute("method") {
            method = raw.uppercased()
            if !Self.httpMethods.contains(raw.uppercased()) {
                report("unknown HTTP method '\(raw)' in 'method' of <http>", at: element)
            }
        }
        let format = enumeration("format", of: element, as: MessageFormat.self)
        let isAuthentication: (XMLElementNode) -> Bool = { self.isSynapse($0, named: "authentication") }
        var authentication: EndpointAuthentication?
        var oauth: EndpointOAuth?
        var ok = true
        if let child = element.childElements.first(where: isAuthentication) {
            switch readAuthentication(child) {
            case .basic(let basic)?: authentication = basic
            case .oauth(let grant)?: oauth = grant
            case nil: ok = false
            }
        }
        guard let qos = readQoS(element, skipping: isAuthentication), ok, let template else { return nil }
        return HTTPEndpoint(
            uriTemplate: template,
            method: method,
            format: format,
            qos: qos,
            authentication: authentication,
            oauth: oauth
        )
    }

    /// `<wsdl (uri=|inline <wsdl:definitions>/<wsdl2:description>) service= port= [format=]>` plus QoS settings.
    private func readWSDL(_ element: XMLElementNode) -> WSDLEndpoint? {
        let service = required("service", of: element)
        let port = required("port", of: element)
        let format = enumeration("format", of: element, as: MessageFormat.self)
        let isDefinition: (XMLElementNode) -> Bool = { child in
            (child.namespaceURI == "http://schemas.xmlsoap.org/wsdl/" && child.localName == "definitions")
                || (child.namespaceURI == "http://www.w3.org/ns/wsdl" && child.localName == "description")
        }
        let definitions = element.childElements.filter(isDefinition)
        let uri = element.attribute("uri")
        var ok = true
        if definitions.count > 1 || (uri != nil && !definitions.isEmpty) {
            report("<wsdl> takes a 'uri' or one inline WSDL document, not both or several", at: element)
            ok = false
        } else if uri == nil && definitions.isEmpty {
            report("<wsdl> needs a 'uri' or an inline WSDL <definitions> or <description>", at: element)
            ok = false
        }
        guard let qos = readQoS(element, skipping: isDefinition), ok, let service, let port else { return nil }
        return WSDLEndpoint(
            uri: uri,
            inlineDefinition: definitions.first.map(XMLFragmentWriter.string(for:)),
            service: service,
            port: port,
            format: format,
            qos: qos
        )
    }

    /// `<default [format=]>` plus QoS settings.
    private func readDefault(_ element: XMLElementNode) -> DefaultEndpoint? {
        let format = enumeration("format", of: element, as: MessageFormat.self)
        guard let qos = readQoS(element) else { return nil }
        return DefaultEndpoint(format: format, qos: qos)
    }

    /// `<loadbalance [algorithm=|policy=] [failover=]>` with `<endpoint>` members or `<member>` servers (Synapse's
    /// `LoadbalanceEndpointFactory` refuses both together).
    private func readLoadbalance(_ element: XMLElementNode) -> LoadbalanceEndpoint? {
        let algorithm = element.attribute("algorithm") ?? element.attribute("policy")
        let failover = flag("failover", of: element, default: true)
        let servers = element.childElements.filter { isSynapse($0, named: "member") }
        guard !servers.isEmpty else {
            return LoadbalanceEndpoint(algorithm: algorithm, failover: failover, members: readMembers(of: element))
        }
        ignoreText(in: element)
        var clusterMembers: [ClusterMember] = []
        var ok = true
        for child in element.childElements {
            if isSynapse(child, named: "endpoint") {
                report("a <loadbalance> holds <endpoint> or <member> children, not both", at: child)
                ok = false
            } else if !isSynapse(child, named: "member") {
                reportUnknown(child, in: element)
                ok = false
            } else if let member = readClusterMember(child) {
                clusterMembers.append(member)
            } else {
                ok = false
            }
        }
        guard ok else { return nil }
        return LoadbalanceEndpoint(algorithm: algorithm, failover: failover, members: [], clusterMembers: clusterMembers)
    }

    /// `<member hostName= [httpPort=] [httpsPort=]/>`.
    private func readClusterMember(_ element: XMLElementNode) -> ClusterMember? {
        ignoreText(in: element)
        rejectChildren(of: element)
        let host = required("hostName", of: element)
        var ports: [Int?] = []
        for name in ["httpPort", "httpsPort"] {
            let text = element.attribute(name)?.trimmingSpaces() ?? ""
            guard !text.isEmpty else {
                ports.append(nil)
                continue
            }
            guard let port = Int(text), (1...65535).contains(port) else {
                report("'\(name)' of <member> must be a port number, not '\(text)'", at: element)
                return nil
            }
            ports.append(port)
        }
        guard let host else { return nil }
        if ports[0] == nil && ports[1] == nil {
            report("<member> needs an 'httpPort' or an 'httpsPort'", at: element)
            return nil
        }
        return ClusterMember(hostName: host, httpPort: ports[0], httpsPort: ports[1])
    }

    /// Synapse's membership-driven load balancers: their members come from an Axis2 cluster at run time.
    private func refuseMembershipLoadbalance(_ element: XMLElementNode) {
        report(
            "<\(element.localName)> is not supported: its members come from Axis2 cluster membership "
                + "(a membership handler or a service domain), which Sluice has no part of; list the servers as "
                + "<loadbalance><member hostName= httpPort=/></loadbalance> or as <endpoint> members",
            at: element
        )
    }

    private func readFailover(_ element: XMLElementNode) -> FailoverEndpoint? {
        FailoverEndpoint(dynamic: flag("dynamic", of: element, default: true), members: readMembers(of: element))
    }

    /// `<recipientlist>` with `<endpoint>` children or one `<endpoints value= [max-cache=]/>`.
    private func readRecipientList(_ element: XMLElementNode) -> RecipientListEndpoint? {
        ignoreText(in: element)
        let children = element.childElements
        if let member = children.first(where: { isSynapse($0, named: "member") }) {
            report(
                "<member> (cluster members by host and port) is not supported in <recipientlist>: "
                    + "list the recipients as <endpoint> children or <endpoints value=\"url,url\"/>",
                at: member
            )
            return nil
        }
        guard let dynamic = children.first(where: { isSynapse($0, named: "endpoints") }) else {
            let members = readMembers(of: element)
            return members.isEmpty ? nil : RecipientListEndpoint(recipients: .endpoints(members))
        }
        guard children.count == 1 else {
            report("<recipientlist> takes <endpoint> children or one <endpoints>, not both or several", at: element)
            return nil
        }
        ignoreText(in: dynamic)
        rejectChildren(of: dynamic)
        guard let text = required("value", of: dynamic) else { return nil }
        var value = ValueSource.literal(text)
        if let expressionText = DynamicKey.expressionText(text) {
            guard let expression = self.expression(expressionText, attribute: "value", of: dynamic) else { return nil }
            value = .expression(expression)
        }
        var maxCache: Int?
        if let raw = dynamic.attribute("max-cache") {
            guard let parsed = Int(raw.trimmingSpaces()), parsed > 0 else {
                report("'max-cache' of <endpoints> must be a positive number, not '\(raw)'", at: dynamic)
                return nil
            }
            maxCache = parsed
        }
        return RecipientListEndpoint(recipients: .addresses(value, maxCache: maxCache))
    }

    private func readMembers(of element: XMLElementNode) -> [EndpointDefinition] {
        ignoreText(in: element)
        var members: [EndpointDefinition] = []
        for child in element.childElements {
            guard isSynapse(child, named: "endpoint") else {
                reportUnknown(child, in: element)
                continue
            }
            if let member = readEndpoint(child) { members.append(member) }
        }
        if members.isEmpty {
            report("<\(element.localName)> needs at least one member <endpoint>", at: element)
        }
        return members
    }

    // MARK: - Quality of service

    private func readQoS(_ element: XMLElementNode, skipping skipped: (XMLElementNode) -> Bool = { _ in false }) -> EndpointQoS? {
        ignoreText(in: element)
        var qos = EndpointQoS()
        var ok = true
        var legacySuspendSeconds: Int64?
        for child in element.childElements where !skipped(child) {
            guard isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "timeout": qos.timeout = readTimeout(child)
            case "suspendOnFailure": qos.suspendOnFailure = readSuspendOnFailure(child)
            case "markForSuspension": qos.markForSuspension = readMarkForSuspension(child)
            case "suspendDurationOnFailure":
                // Synapse 1.2's form, still read by Synapse (EndpointDefinitionFactory): seconds, no progression.
                rejectChildren(of: child)
                legacySuspendSeconds = integer(child.textContent.trimmingSpaces(), named: child.localName, in: child)
            case "enableAddressing":
                rejectChildren(of: child)
                qos.addressing = EndpointAddressing(
                    version: enumeration("version", of: child, as: EndpointAddressing.Version.self),
                    separateListener: child.attribute("separateListener").map { _ in
                        flag("separateListener", of: child, default: false)
                    }
                )
            case "retryConfig": qos.retry = readRetryConfig(child)
            case "enableSec", "enableRM":
                report("<\(child.localName)> is not supported: Sluice sends no WS-Security or WS-ReliableMessaging headers", at: child)
                ok = false
            default:
                reportUnknown(child, in: element)
                ok = false
            }
        }
        if let seconds = legacySuspendSeconds {
            // `<suspendOnFailure>` settings win over the old form, field by field, as in Synapse.
            var settings = qos.suspendOnFailure ?? SuspendOnFailure()
            settings.initialDuration = settings.initialDuration ?? seconds * 1000
            settings.progressionFactor = settings.progressionFactor ?? 1
            qos.suspendOnFailure = settings
        }
        return ok ? qos : nil
    }

    private func readTimeout(_ element: XMLElementNode) -> EndpointTimeout {
        var timeout = EndpointTimeout()
        forEachSetting(of: element) { name, text, child in
            switch name {
            case "duration":
                // WSO2's EndpointDefinitionFactory reads `{xpath}` as a timeout evaluated per message.
                let trimmed = text.trimmingSpaces()
                if trimmed.count >= 2, trimmed.hasPrefix("{"), trimmed.hasSuffix("}") {
                    timeout.durationExpression = expression(
                        String(trimmed.dropFirst().dropLast()), attribute: "duration", of: child
                    )
                } else {
                    timeout.duration = integer(text, named: "duration", in: child)
                }
            case "responseAction":
                if let action = EndpointTimeout.ResponseAction(rawValue: text.lowercased()) {
                    timeout.responseAction = action
                } else {
                    // WSO2's EndpointDefinitionFactory takes `discard` and `fault` (any case) and refuses the rest.
                    report("Invalid timeout action, action : \(text) is not supported", at: child)
                }
            case "action":
                // Synapse 1.1's name for it; today's Synapse reads only <responseAction> and ignores this one.
                break
            default: reportUnknown(child, in: element)
            }
        }
        return timeout
    }

    private func readSuspendOnFailure(_ element: XMLElementNode) -> SuspendOnFailure {
        var settings = SuspendOnFailure()
        forEachSetting(of: element) { name, text, child in
            switch name {
            case "errorCodes": settings.errorCodes = errorCodes(text, in: child)
            case "initialDuration": settings.initialDuration = integer(text, named: name, in: child)
            case "maximumDuration": settings.maximumDuration = integer(text, named: name, in: child)
            case "progressionFactor":
                if let factor = Double(text) {
                    settings.progressionFactor = factor
                } else {
                    report("'progressionFactor' must be a number, not '\(text)'", at: child)
                }
            default: reportUnknown(child, in: element)
            }
        }
        return settings
    }

    /// WSO2's `<retryConfig>`: codes separated by commas or spaces, as its `StringTokenizer(text, ", ")` reads them.
    private func readRetryConfig(_ element: XMLElementNode) -> EndpointRetryConfig {
        var settings = EndpointRetryConfig()
        forEachSetting(of: element) { name, text, child in
            let codes: [Int] = text.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { code in
                integer(String(code), named: name, in: child)
            }
            switch name {
            case "disabledErrorCodes": settings.disabledErrorCodes = codes
            case "enabledErrorCodes": settings.enabledErrorCodes = codes
            default: reportUnknown(child, in: element)
            }
        }
        return settings
    }

    private func readMarkForSuspension(_ element: XMLElementNode) -> MarkForSuspension {
        var settings = MarkForSuspension()
        forEachSetting(of: element) { name, text, child in
            switch name {
            case "errorCodes": settings.errorCodes = errorCodes(text, in: child)
            case "retriesBeforeSuspension": settings.retriesBeforeSuspension = integer(text, named: name, in: child)
            case "retryDelay": settings.retryDelay = integer(text, named: name, in: child)
            default: reportUnknown(child, in: element)
            }
        }
        return settings
    }

    func forEachSetting(
        of element: XMLElementNode,
        _ body: (_ name: String, _ text: String, _ child: XMLElementNode) -> Void
    ) {
        ignoreText(in: element)
        for child in element.childElements {
            guard isSynapseNamespace(child) else {
                reportUnknown(child, in: element)
                continue
            }
            rejectChildren(of: child)
            body(child.localName, child.textContent.trimmingSpaces(), child)
        }
    }

    private func errorCodes(_ text: String, in element: XMLElementNode) -> [Int] {
        text.split(separator: ",").compactMap { code in
            integer(String(code), named: "errorCodes", in: element)
        }
    }
}
