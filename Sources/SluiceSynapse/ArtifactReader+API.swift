import SluiceMediation
import SluiceModel
import SluiceXML

extension ArtifactReader {
    /// Reads `<api>` (Synapse `APIFactory`): required name, context and at least one resource.
    func readAPI(_ element: XMLElementNode) -> SynapseAPI? {
        let name = required("name", of: element)
        let context = required("context", of: element)
        if let context, !context.hasPrefix("/") {
            report("context '\(context)' must start with '/'", at: element)
        }
        let version = element.attribute("version")
        let versionType = enumeration("version-type", of: element, as: SynapseAPI.VersionType.self)
        if version != nil && element.attribute("version-type") == nil {
            report("attribute 'version' requires a 'version-type' attribute (url or context)", at: element)
        }
        // A version-type without a version deploys in Synapse (VersionStrategyFactory checks only the converse):
        // the version is empty, and requests are matched against the plain context.
        var port: Int?
        if let rawPort = element.attribute("port") {
            port = integer(rawPort, named: "port", in: element)
            if let value = port, !(0...65535).contains(value) {
                report("port \(value) is out of range", at: element)
            }
        }

        ignoreText(in: element)
        var resources: [APIResource] = []
        var declared: [ResourceSignature: APIResource] = [:]
        var handlers: [GatewayHandlerSpec]?
        for child in element.childElements {
            if isSynapse(child, named: "resource") {
                if let resource = readResource(child) {
                    let signature = ResourceSignature(methods: Set(resource.methods), dispatcher: resource.dispatcher)
                    if let clash = declared[signature] {
                        reportDuplicate(resource, clashingWith: clash, at: child)
                    } else {
                        declared[signature] = resource
                    }
                    resources.append(resource)
                }
            } else if isSynapse(child, named: "handlers") {
                // Synapse reads only the first <handlers>; WSO2 2.x templates emit a second, inert one.
                let read = readHandlers(child)
                if handlers == nil { handlers = read }
            } else {
                reportUnknown(child, in: element)
            }
        }
        if resources.isEmpty && !element.childElements.contains(where: { isSynapse($0, named: "resource") }) {
            report("<api> '\(name ?? "")' has no <resource>", at: element)
        }
        guard let name, let context else { return nil }
        return SynapseAPI(
            name: name,
            context: context,
            version: version,
            versionType: versionType,
            hostname: element.attribute("hostname"),
            port: port,
            transports: readTransports(element),
            statistics: element.attribute("statistics") == "enable",
            trace: element.attribute("trace") == "enable",
            resources: resources,
            handlers: handlers ?? [],
            location: location(of: element)
        )
    }

    // WSO2 reads `transports`, Apache Synapse `transport`; both are accepted.
    private func readTransports(_ element: XMLElementNode) -> [SynapseAPI.Transport]? {
        guard let raw = element.attribute("transports") ?? element.attribute("transport") else { return nil }
        var transports: [SynapseAPI.Transport] = []
        for word in raw.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            guard let transport = SynapseAPI.Transport(rawValue: word.lowercased()) else {
                report("invalid protocol name '\(word)' in transports: expected http or https", at: element)
                continue
            }
            if !transports.contains(transport) { transports.append(transport) }
        }
        return transports
    }

    /// What makes two resources the same for dispatching: the same methods and the same dispatcher.
    private struct ResourceSignature: Hashable {
        var methods: Set<String>
        var dispatcher: ResourceDispatcher
    }

    private func reportDuplicate(_ resource: APIResource, clashingWith clash: APIResource, at element: XMLElementNode) {
        let verbs = resource.methods.isEmpty ? "any method" : resource.methods.joined(separator: " ")
        let path: String =
            switch resource.dispatcher {
            case .uriTemplate(let template): template.raw
            case .urlMapping(let mapping): mapping.description
            case .none: "every path"
            }
        let earlierLine = clash.location.map { " (first declared at line \($0.line))" } ?? ""
        report("duplicate resource: \(verbs) \(path)\(earlierLine)", at: element)
    }

    /// Reads `<resource>` (Synapse `ResourceFactory`) plus Sluice's auth-type, throttling-tier and scopes.
    func readResource(_ element: XMLElementNode) -> APIResource? {
        var ok = true
        var methods: [String] = []
        for word in (element.attribute("methods") ?? "").split(whereSeparator: \.isWhitespace) {
            let method = word.uppercased()
            guard Self.httpMethods.contains(method) else {
                report("unknown HTTP method '\(word)' in 'methods' of <resource>", at: element)
                ok = false
                continue
            }
            if !methods.contains(method) { methods.append(method) }
        }

        var dispatcher = ResourceDispatcher.none
        // Synapse prefers url-mapping when both are given, and reads an empty attribute as absent.
        if let mapping = element.attribute("url-mapping"), !mapping.isEmpty {
            do {
                dispatcher = .urlMapping(try URLMapping(mapping))
            } catch {
                report("\(error)", at: element)
                ok = false
            }
        } else if let template = element.attribute("uri-template"), !template.isEmpty {
            do {
                dispatcher = .uriTemplate(try URITemplate(template))
            } catch {
                report("\(error)", at: element)
                ok = false
            }
        }

        var protocolRestriction: String?
        if let raw = element.attribute("protocol") {
            let lowered = raw.lowercased()
            if lowered == "http" || lowered == "https" {
                protocolRestriction = lowered
            } else {
                report("invalid protocol '\(raw)' on <resource>: expected http or https", at: element)
                ok = false
            }
        }

        let contentType = element.attribute("content-type").flatMap { $0.isEmpty ? nil : $0 }
        if let contentType, contentType.split(separator: "/", omittingEmptySubsequences: false).count != 2 {
            // Synapse's Resource.setContentType refuses a value that is not `type/subtype`.
            report("invalid content type '\(contentType)' on <resource>: expected type/subtype", at: element)
            ok = false
        }

        ignoreText(in: element)
        var inline: [String: SequenceSlot] = [:]
        for child in element.childElements {
            let slot = child.localName
            // Synapse's ResourceFactory reads its three sequences by name and nothing else.
            guard isSynapseNamespace(child), ["inSequence", "outSequence", "faultSequence"].contains(slot) else {
                ignoreUnknown(child, in: element)
                continue
            }
            if inline[slot] != nil {
                report("<resource> has more than one <\(slot)>", at: child)
                ok = false
            }
            inline[slot] = .inline(readMediators(in: child))
        }
        func slot(_ name: String) -> SequenceSlot? {
            // A key attribute wins over an inline sequence, as in Synapse.
            if let key = element.attribute(name) { return .key(key) }
            return inline[name]
        }

        guard ok else { return nil }
        return APIResource(
            methods: methods,
            dispatcher: dispatcher,
            protocolRestriction: protocolRestriction,
            contentType: contentType,
            userAgent: element.attribute("user-agent").flatMap { $0.isEmpty ? nil : $0 },
            inSequence: slot("inSequence"),
            outSequence: slot("outSequence"),
            faultSequence: slot("faultSequence"),
            authType: element.attribute("auth-type"),
            throttlingTier: element.attribute("throttling-tier"),
            scopes: (element.attribute("scopes") ?? "").split(whereSeparator: \.isWhitespace).map(String.init),
            location: location(of: element)
        )
    }

    /// Reads `<handlers><handler class=><property name= value=/>*</handler>*</handlers>`.
    func readHandlers(_ element: XMLElementNode) -> [GatewayHandlerSpec] {
        ignoreText(in: element)
        var handlers: [GatewayHandlerSpec] = []
        for child in element.childElements {
            guard isSynapse(child, named: "handler") else {
                reportUnknown(child, in: element)
                continue
            }
            guard let className = required("class", of: child) else { continue }
            if let reason = GatewayHandlerSpec.limitedClasses[className] {
                warn("handler '\(className)': \(reason)", at: child)
            }
            var properties: [GatewayHandlerSpec.Property] = []
            ignoreText(in: child)
            for property in child.childElements {
                guard isSynapse(property, named: "property") else {
                    reportUnknown(property, in: child)
                    continue
                }
                guard let name = required("name", of: property) else { continue }
                guard let value = property.attribute("value") else {
                    report("missing required attribute 'value' on <property> '\(name)' of <handler>", at: property)
                    continue
                }
                properties.append(GatewayHandlerSpec.Property(name: name, value: value))
            }
            handlers.append(GatewayHandlerSpec(className: className, properties: properties, location: location(of: child)))
        }
        return handlers
    }
}
