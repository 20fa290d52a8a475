import SluiceModel

/// Writes `<enrich>`, omitting `type="custom"`, `clone="true"` and `action="replace"`.
struct EnrichMediatorSerializer: MediatorSerializer {
    let elementName = "enrich"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .enrich(let enrich) = mediator else { return }
        writer.element("enrich") {
            let source = enrich.source
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
                writer.rawElement("source", sourceAttributes, raw: isXML ? inline : XMLWriter.escapeText(inline))
            } else {
                writer.element("source", sourceAttributes, namespaces: source.xpath?.namespaces ?? [:])
            }
            let target = enrich.target
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
