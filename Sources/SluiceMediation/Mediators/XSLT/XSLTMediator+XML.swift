import SluiceModel
internal import SluiceXML

extension XSLTMediator {
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> XSLTMediator? {
        reader.ignoreText(in: element)
        var ok = true
        let key = reader.required("key", of: element)
        var source: SynapseExpression?
        if let text = element.attribute("source") {
            source = reader.expression(text, attribute: "source", of: element)
            if source == nil { ok = false }
        }
        var parameters: [NamedValue] = []
        var features: [Feature] = []
        var attributes: [Attribute] = []
        var resources: [ValidateMediator.Resource] = []
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            reader.rejectChildren(of: child)
            switch child.localName {
            case "property":
                guard let name = reader.required("name", of: child),
                    case .value(let value) = reader.valueSource(of: child, optional: false, owner: "<property> '\(name)'")
                else {
                    ok = false
                    continue
                }
                parameters.append(NamedValue(name: name, value: value))
            case "feature":
                guard let name = reader.required("name", of: child), let value = reader.required("value", of: child)
                else {
                    ok = false
                    continue
                }
                guard value == "true" || value == "false" else {
                    reader.report("<feature> '\(name)' of <xslt> must have value true or false", at: child)
                    ok = false
                    continue
                }
                features.append(Feature(name: name, enabled: value == "true"))
            case "attribute":
                guard let name = reader.required("name", of: child), let value = reader.required("value", of: child)
                else {
                    ok = false
                    continue
                }
                attributes.append(Attribute(name: name, value: value))
            case "resource":
                let location = reader.required("location", of: child)
                let key = reader.required("key", of: child)
                if let location, let key {
                    resources.append(ValidateMediator.Resource(location: location, key: key))
                } else {
                    ok = false
                }
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        let useCache = element.attribute("useCache").map { _ in reader.flag("useCache", of: element, default: true) }
        guard ok, let key else { return nil }
        return XSLTMediator(
            key: key,
            source: source,
            target: element.attribute("target"),
            useCache: useCache,
            parameters: parameters,
            features: features,
            attributes: attributes,
            resources: resources
        )
    }

    func write(to writer: XMLWriter) {
        writer.element(
            "xslt",
            [
                "key": key,
                "source": source?.source,
                "target": target,
                "useCache": useCache.map { $0 ? "true" : "false" },
            ],
            namespaces: source?.namespaces ?? [:]
        ) {
            writer.namedValues(parameters)
            for feature in features {
                writer.element("feature", ["name": feature.name, "value": feature.enabled ? "true" : "false"])
            }
            for attribute in attributes {
                writer.element("attribute", ["name": attribute.name, "value": attribute.value])
            }
            for resource in resources {
                writer.element("resource", ["location": resource.location, "key": resource.key])
            }
        }
    }
}
