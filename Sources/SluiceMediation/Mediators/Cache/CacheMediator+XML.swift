import SluiceModel
internal import SluiceXML

extension CacheMediator {
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> CacheMediator? {
        reader.ignoreText(in: element)
        var ok = true
        var mediator = CacheMediator(
            id: element.attribute("id"),
            scope: element.attribute("scope"),
            collector: reader.flag("collector", of: element, default: false),
            hashGenerator: element.attribute("hashGenerator")
        )
        if let scope = mediator.scope, scope != "per-host", scope != "per-mediator" {
            reader.report("invalid scope '\(scope)' on <cache>: expected per-host or per-mediator", at: element)
            ok = false
        }
        if let text = element.attribute("timeout") {
            mediator.timeout = reader.integer(text, named: "timeout", in: element)
            if mediator.timeout == nil || mediator.timeout! < 0 { ok = reportNegative("timeout", text, element, reader) }
        }
        if let text = element.attribute("maxMessageSize") {
            mediator.maxMessageSize = reader.integer(text, named: "maxMessageSize", in: element)
            if mediator.maxMessageSize == nil { ok = false }
        }
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "onCacheHit" where mediator.onCacheHit == nil:
                if let key = child.attribute("sequence") {
                    reader.rejectChildren(of: child)
                    mediator.onCacheHit = .sequence(key)
                } else {
                    mediator.onCacheHit = .inline(reader.readMediators(in: child))
                }
            case "protocol" where mediator.protocolSettings == nil:
                guard let settings = readProtocol(child, reader: reader) else {
                    ok = false
                    continue
                }
                mediator.protocolSettings = settings
            case "implementation" where mediator.implementation == nil:
                reader.rejectChildren(of: child)
                var implementation = Implementation(type: child.attribute("type"))
                if let text = child.attribute("maxSize") {
                    implementation.maxSize = reader.integer(text, named: "maxSize", in: child)
                    if implementation.maxSize == nil || implementation.maxSize! < 1 {
                        ok = reportNegative("maxSize", text, child, reader, minimum: 1)
                    }
                }
                mediator.implementation = implementation
            case "onCacheHit", "protocol", "implementation":
                reader.report("<cache> has more than one <\(child.localName)>", at: child)
                ok = false
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        if mediator.collector, mediator.onCacheHit != nil || mediator.protocolSettings != nil {
            reader.report("a collector <cache collector=\"true\"> takes no <onCacheHit> or <protocol>", at: element)
            ok = false
        }
        return ok ? mediator : nil
    }

    /// Reports a number below `minimum` (the integer reader already reported one that is not a number).
    private static func reportNegative(
        _ name: String,
        _ text: String,
        _ element: XMLElementNode,
        _ reader: ArtifactReader,
        minimum: Int = 0
    ) -> Bool {
        if Int(text.trimmingSpaces()) != nil {
            reader.report("'\(name)' of <\(element.localName)> must be at least \(minimum), not '\(text)'", at: element)
        }
        return false
    }

    private static func readProtocol(_ element: XMLElementNode, reader: ArtifactReader) -> ProtocolSettings? {
        reader.ignoreText(in: element)
        let type = element.attribute("type") ?? "HTTP"
        guard type.uppercased() == "HTTP" else {
            reader.report("<protocol type=\"\(type)\"> of <cache> is not supported: only HTTP", at: element)
            return nil
        }
        var settings = ProtocolSettings(type: type)
        var ok = true
        for child in element.childElements {
            reader.rejectChildren(of: child)
            let text = child.textContent.trimmingSpaces()
            func list() -> [String] {
                text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            }
            func flag() -> Bool? {
                switch text.lowercased() {
                case "true": return true
                case "false": return false
                default:
                    reader.report("<\(child.localName)> of <cache> must be true or false, not '\(text)'", at: child)
                    ok = false
                    return nil
                }
            }
            switch child.localName {
            case "methods":
                let methods = list().map { $0.uppercased() }
                for method in methods where method != "*" && !ArtifactReader.httpMethods.contains(method) {
                    reader.report("<methods> of <cache> names an unknown method '\(method)'", at: child)
                    ok = false
                }
                settings.methods = methods
            case "headersToExcludeInHash": settings.headersToExclude = list()
            case "headersToIncludeInHash": settings.headersToInclude = list()
            case "responseCodes": settings.responseCodes = text
            case "enableCacheControl": settings.enableCacheControl = flag()
            case "includeAgeHeader": settings.includeAgeHeader = flag()
            case "hashGenerator": settings.hashGenerator = text
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        return ok ? settings : nil
    }

    /// Writes what was read; absent settings stay absent.
    func write(to writer: XMLWriter) {
        writer.element(
            "cache",
            [
                "id": id, "scope": scope, "collector": collector ? "true" : nil, "hashGenerator": hashGenerator,
                "timeout": timeout.map(String.init), "maxMessageSize": maxMessageSize.map(String.init),
            ]
        ) {
            switch onCacheHit {
            case nil: break
            case .sequence(let key)?: writer.element("onCacheHit", ["sequence": key])
            case .inline(let mediators)?: writer.element("onCacheHit") { writer.mediators(mediators) }
            }
            if let settings = protocolSettings {
                writer.element("protocol", ["type": settings.type]) {
                    if let methods = settings.methods { writer.textElement("methods", methods.joined(separator: ",")) }
                    if let names = settings.headersToExclude {
                        writer.textElement("headersToExcludeInHash", names.joined(separator: ","))
                    }
                    if let names = settings.headersToInclude {
                        writer.textElement("headersToIncludeInHash", names.joined(separator: ","))
                    }
                    if let codes = settings.responseCodes { writer.textElement("responseCodes", codes) }
                    if let flag = settings.enableCacheControl { writer.textElement("enableCacheControl", String(flag)) }
                    if let flag = settings.includeAgeHeader { writer.textElement("includeAgeHeader", String(flag)) }
                    if let name = settings.hashGenerator { writer.textElement("hashGenerator", name) }
                }
            }
            if let implementation {
                writer.element(
                    "implementation",
                    ["type": implementation.type, "maxSize": implementation.maxSize.map(String.init)]
                )
            }
        }
    }
}
