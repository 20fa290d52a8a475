import SluiceModel
internal import SluiceXML

extension EnrichMediator {
    /// Reads `<enrich><source [type=] [clone=] [xpath=] [property=] [key=]>inline</source><target .../></enrich>`.
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> EnrichMediator? {
        reader.ignoreText(in: element)
        var source: Source?
        var target: Target?
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "source") {
                source = readSource(child, reader: reader)
                if source == nil { ok = false }
            } else if reader.isSynapse(child, named: "target") {
                target = readTarget(child, reader: reader)
                if target == nil { ok = false }
            } else {
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        guard ok else { return nil }
        guard let source, let target else {
            reader.report("<enrich> needs a <source> and a <target>", at: element)
            return nil
        }
        let targetTypeWritten = element.childElements.first { reader.isSynapse($0, named: "target") }?
            .attribute("type") != nil
        if let problem = combinationProblem(source, target, targetTypeWritten: targetTypeWritten) {
            reader.report("<enrich>: " + problem, at: element)
            return nil
        }
        return EnrichMediator(source: source, target: target)
    }

    /// The source and target combinations Synapse's EnrichMediatorFactory refuses; a target without `type` is only
    /// checked as custom where Synapse checks it so.
    private static func combinationProblem(_ source: Source, _ target: Target, targetTypeWritten: Bool) -> String? {
        let writtenTarget = targetTypeWritten ? target.type : nil
        switch (source.type, writtenTarget) {
        case (.envelope, .custom?), (.envelope, .envelope?), (.envelope, .body?), (.body, .envelope?),
            (.body, .body?), (.custom, .envelope?), (.body, .key?):
            return "a \(source.type.rawValue) source cannot enrich a \(target.type.rawValue) target"
        default:
            break
        }
        if target.type == .envelope || target.type == .key, target.action != .replace {
            return "a \(target.type.rawValue) target takes only action=\"replace\""
        }
        if target.action == .remove {
            guard source.type == .custom else { return "action=\"remove\" needs a custom source naming what to remove" }
            guard case .jsonPath? = source.xpath?.kind else {
                return "action=\"remove\" needs a json-eval source (removing works on JSON)"
            }
            guard writtenTarget == .body || writtenTarget == .property else {
                return "action=\"remove\" needs a body or property target"
            }
        }
        if target.type == .custom, target.action == .replace, case .jsonPath(let path)? = target.xpath?.kind,
            path.trimmingWhitespace() == "$" || path.trimmingWhitespace() == "$."
        {
            return "a custom target cannot replace the JSON root '$'; use type=\"body\""
        }
        return nil
    }

    private static func readSource(_ element: XMLElementNode, reader: ArtifactReader) -> Source? {
        let type = reader.enumeration("type", of: element, as: SourceType.self) ?? .custom
        let clone = reader.flag("clone", of: element, default: true)
        var source = Source(type: type, clone: clone, property: element.attribute("property"))
        if let xpath = element.attribute("xpath") {
            guard let expression = reader.expression(xpath, attribute: "xpath", of: element) else { return nil }
            source.xpath = expression
        }
        if type == .inline {
            source.inlineKey = element.attribute("key")
            let children = element.childElements
            if children.count > 1 {
                reader.report("an inline enrich <source> holds at most one element", at: element)
                return nil
            }
            if let root = children.first {
                reader.ignoreText(in: element)
                source.inlineContent = XMLFragmentWriter.string(for: root)
            } else if element.hasNonWhitespaceText {
                source.inlineContent = element.textContent.trimmingSpaces()
            }
            if source.inlineContent == nil && source.inlineKey == nil {
                reader.report("an inline enrich <source> needs content or a 'key'", at: element)
                return nil
            }
        } else {
            reader.ignoreText(in: element)
            reader.rejectChildren(of: element)
        }
        return checkRequirements(type.rawValue, xpath: source.xpath, property: source.property, element, reader)
            ? source : nil
    }

    private static func readTarget(_ element: XMLElementNode, reader: ArtifactReader) -> Target? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        let type = reader.enumeration("type", of: element, as: TargetType.self) ?? .custom
        let action = reader.enumeration("action", of: element, as: TargetAction.self) ?? .replace
        var target = Target(type: type, action: action, property: element.attribute("property"))
        if let xpath = element.attribute("xpath") {
            guard let expression = reader.expression(xpath, attribute: "xpath", of: element) else { return nil }
            target.xpath = expression
        }
        return checkRequirements(type.rawValue, xpath: target.xpath, property: target.property, element, reader)
            ? target : nil
    }

    private static func checkRequirements(
        _ type: String,
        xpath: SynapseExpression?,
        property: String?,
        _ element: XMLElementNode,
        _ reader: ArtifactReader
    ) -> Bool {
        if (type == "custom" || type == "key") && xpath == nil {
            reader.report("enrich <\(element.localName)> of type \(type) needs an 'xpath'", at: element)
            return false
        }
        if type == "property" && property == nil {
            reader.report("enrich <\(element.localName)> of type property needs a 'property'", at: element)
            return false
        }
        return true
    }

    /// Omits `type="custom"`, `clone="true"` and `action="replace"`.
    func write(to writer: XMLWriter) {
        writer.element("enrich") {
            let source = self.source
            let sourceAttributes: KeyValuePairs<String, String?> = [
                "type": source.type == .custom ? nil : source.type.rawValue,
                "clone": source.clone ? nil : "false",
                "xpath": source.xpath?.source,
                "property": source.property,
                "key": source.inlineKey,
            ]
            if let inline = source.inlineContent {
                // Inline XML was stored as a self-contained fragment; anything else is text.
                let isXML = inline.hasPrefix("<")
                writer.rawElement("source", sourceAttributes, raw: isXML ? inline : XMLEscaping.text(inline))
            } else {
                writer.element("source", sourceAttributes, namespaces: source.xpath?.namespaces ?? [:])
            }
            let target = self.target
            writer.element(
                "target",
                [
                    "type": target.type == .custom ? nil : target.type.rawValue,
                    "action": target.action == .replace ? nil : target.action.rawValue,
                    "xpath": target.xpath?.source,
                    "property": target.property,
                ],
                namespaces: target.xpath?.namespaces ?? [:]
            )
        }
    }
}
