import SluiceModel
internal import SluiceXML

extension PayloadFactoryMediator {
    /// Reads `<payloadFactory [media-type=xml|json|text]><format [key=]>...</format><args><arg .../>*</args>`.
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> PayloadFactoryMediator? {
        let mediaType =
            reader.enumeration("media-type", of: element, as: MediaType.self, caseInsensitive: true) ?? .xml
        reader.ignoreText(in: element)
        if let templateType = element.attribute("template-type"), templateType.lowercased() != "default" {
            reader.report(
                "payloadFactory template-type=\"\(templateType)\" is not supported: FreeMarker is a Java template "
                    + "engine Sluice does not run; write the format with $1..$n arguments (template-type=\"default\")",
                at: element
            )
            return nil
        }
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
            let children = element.childElements
            // WSO2's factory takes the first element (`copy.getFirstElement()`), or the text (CDATA holding the
            // markup) when there is none.
            guard let root = children.first else {
                let text = element.textContent.trimmingWhitespace()
                guard text.hasPrefix("<") else {
                    reader.report("an xml <format> needs an element, or XML markup as its text", at: element)
                    return nil
                }
                do {
                    // Read as the element it holds, so the format is the same as when written inline.
                    return XMLFragmentWriter.string(for: try XMLDocumentParser().parse(text: text))
                } catch {
                    reader.report("the text of an xml <format> is not well-formed XML: \(error.message)", at: element)
                    return nil
                }
            }
            reader.ignoreText(in: element)
            for extra in children.dropFirst() {
                reader.warn(
                    "element '<\(extra.qualifiedName)>' after the first in an xml <format> is ignored, as Synapse ignores it",
                    at: extra
                )
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
                // A format read from CDATA declares no default namespace; written as markup it would take the
                // Synapse one, so it goes back as text.
                case .xml where !Self.declaresDefaultNamespace(format):
                    writer.rawElement("format", raw: XMLEscaping.text(format))
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

    /// True when the format's root start tag declares a default namespace (every format read from an element
    /// does: the reader writes the one in scope).
    private static func declaresDefaultNamespace(_ format: String) -> Bool {
        guard let end = format.firstIndex(of: ">") else { return false }
        let tag = format[..<end]
        return tag.contains("xmlns=\"") || tag.contains("xmlns='")
    }
}
