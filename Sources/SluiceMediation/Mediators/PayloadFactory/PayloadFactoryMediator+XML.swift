import SluiceModel
internal import SluiceXML

extension PayloadFactoryMediator {
    /// Reads `<payloadFactory [media-type=xml|json|text]><format [key=]>...</format><args><arg .../>*</args>`.
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> PayloadFactoryMediator? {
        let mediaType =
            reader.enumeration("media-type", of: element, as: MediaType.self, caseInsensitive: true) ?? .xml
        reader.ignoreText(in: element)
        var format: String?
        var formatKey: String?
        var arguments: [Argument] = []
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "format") {
                formatKey = child.attribute("key")
                format = formatKey == nil ? readInlineFormat(child, mediaType: mediaType, reader: reader) : ""
                if formatKey != nil { reader.rejectChildren(of: child) }
                if format == nil { ok = false }
            } else if reader.isSynapse(child, named: "args") {
                reader.ignoreText(in: child)
                for argument in child.childElements {
                    guard reader.isSynapse(argument, named: "arg") else {
                        reader.reportUnknown(argument, in: child)
                        ok = false
                        continue
                    }
                    if let read = readArgument(argument, reader: reader) { arguments.append(read) } else { ok = false }
                }
            } else {
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        guard let format else {
            if ok { reader.report("<payloadFactory> needs a <format>", at: element) }
            return nil
        }
        guard ok else { return nil }
        return PayloadFactoryMediator(mediaType: mediaType, format: format, formatKey: formatKey, arguments: arguments)
    }

    private static func readInlineFormat(
        _ element: XMLElementNode,
        mediaType: MediaType,
        reader: ArtifactReader
    ) -> String? {
        switch mediaType {
        case .json, .text:
            reader.rejectChildren(of: element)
            return element.textContent
        case .xml:
            reader.ignoreText(in: element)
            let children = element.childElements
            guard children.count == 1, let root = children.first else {
                reader.report("an xml <format> must hold exactly one element", at: element)
                return nil
            }
            return XMLFragmentWriter.string(for: root)
        }
    }

    private static func readArgument(_ element: XMLElementNode, reader: ArtifactReader) -> Argument? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        let evaluator = reader.enumeration("evaluator", of: element, as: MediaType.self, caseInsensitive: true)
        let literal = reader.flag("literal", of: element, default: false)
        // With evaluator="json" WSO2's factory hands the expression to SynapseJsonPath as it is (a leading
        // "json-eval(" and the last character dropped), never to XPath: it is a JSONPath ("$.name",
        // "$ctx:prop.name") and XPath's rules (balanced brackets) do not apply to it.
        if evaluator == .json, element.attribute("value") == nil, let text = element.attribute("expression"),
            !text.trimmingWhitespace().isEmpty, !text.trimmingWhitespace().hasPrefix("${")
        {
            let path = text.hasPrefix("json-eval(") ? String(text.dropFirst("json-eval(".count).dropLast()) : text
            let expression = SynapseExpression(source: text, kind: .jsonPath(path.trimmingWhitespace()))
            return Argument(value: .expression(expression), evaluator: evaluator, literal: literal)
        }
        guard case .value(let value) = reader.valueSource(of: element, optional: false, owner: "<arg>") else {
            return nil
        }
        return Argument(value: value, evaluator: evaluator, literal: literal)
    }

    /// Writes an xml format as its inline element, a json format as text; omits `media-type="xml"`.
    func write(to writer: XMLWriter) {
        writer.element("payloadFactory", ["media-type": mediaType == .xml ? nil : mediaType.rawValue]) {
            if let formatKey {
                writer.element("format", ["key": formatKey])
            } else {
                switch mediaType {
                case .xml: writer.rawElement("format", raw: format)
                case .json, .text: writer.rawElement("format", raw: XMLEscaping.text(format))
                }
            }
            writer.element("args") {
                for argument in arguments {
                    let (value, expression) = XMLWriter.valueAttributes(argument.value)
                    writer.element(
                        "arg",
                        [
                            "value": value,
                            "expression": expression,
                            "evaluator": argument.evaluator?.rawValue,
                            "literal": argument.literal ? "true" : nil,
                        ],
                        namespaces: XMLWriter.namespaces(of: argument.value)
                    )
                }
            }
        }
    }
}
