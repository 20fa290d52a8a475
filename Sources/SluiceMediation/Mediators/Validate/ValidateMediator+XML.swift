import SluiceModel
internal import SluiceXML

extension ValidateMediator {
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ValidateMediator? {
        reader.ignoreText(in: element)
        var ok = true
        var source: SynapseExpression?
        if let text = element.attribute("source") {
            source = reader.expression(text, attribute: "source", of: element)
            if source == nil { ok = false }
        }
        var keys: [String] = []
        var resources: [Resource] = []
        var features: [Feature] = []
        var onFail: [MediatorNode]?
        var onFailIsEmpty = true
        for child in element.childElements {
            // Synapse's ValidateMediatorFactory reads <schema>, <resource>, <feature> and <on-fail> by name.
            guard reader.isSynapseNamespace(child) else {
                reader.ignoreUnknown(child, in: element)
                continue
            }
            switch child.localName {
            case "schema":
                reader.rejectChildren(of: child)
                if let key = reader.required("key", of: child) { keys.append(key) } else { ok = false }
            case "resource":
                reader.rejectChildren(of: child)
                let location = reader.required("location", of: child)
                let key = reader.required("key", of: child)
                if let location, let key { resources.append(Resource(location: location, key: key)) } else { ok = false }
            case "feature":
                reader.rejectChildren(of: child)
                guard let name = reader.required("name", of: child), let value = reader.required("value", of: child)
                else {
                    ok = false
                    continue
                }
                guard value == "true" || value == "false" else {
                    reader.report("<feature> '\(name)' of <validate> must have value true or false", at: child)
                    ok = false
                    continue
                }
                features.append(Feature(name: name, enabled: value == "true"))
            case "on-fail":
                if onFail != nil {
                    reader.report("<validate> has more than one <on-fail>", at: child)
                    ok = false
                }
                onFail = reader.readMediators(in: child)
                onFailIsEmpty = child.childElements.isEmpty
            default:
                reader.ignoreUnknown(child, in: element)
            }
        }
        if keys.isEmpty {
            reader.report("<validate> needs at least one <schema key=\"...\"/>", at: element)
            ok = false
        }
        if onFailIsEmpty {
            reader.report("<validate> needs a non-empty <on-fail>", at: element)
            ok = false
        }
        let cacheSchema = element.attribute("cache-schema").map { _ in reader.flag("cache-schema", of: element, default: true) }
        let jsonSource = element.attribute("json-source").map { _ in reader.flag("json-source", of: element, default: false) }
        guard ok, let onFail else { return nil }
        return ValidateMediator(
            source: source,
            schemaKeys: keys,
            resources: resources,
            features: features,
            cacheSchema: cacheSchema,
            jsonSource: jsonSource,
            onFail: onFail
        )
    }

    func write(to writer: XMLWriter) {
        writer.element(
            "validate",
            [
                "source": source?.source,
                "cache-schema": cacheSchema.map { $0 ? "true" : "false" },
                "json-source": jsonSource.map { $0 ? "true" : "false" },
            ],
            namespaces: source?.namespaces ?? [:]
        ) {
            for key in schemaKeys { writer.element("schema", ["key": key]) }
            for resource in resources {
                writer.element("resource", ["location": resource.location, "key": resource.key])
            }
            for feature in features {
                writer.element("feature", ["name": feature.name, "value": feature.enabled ? "true" : "false"])
            }
            writer.element("on-fail") { writer.mediators(onFail) }
        }
    }
}
