import SluiceModel

/// Reads `<payloadFactory [media-type=xml|json]><format [key=]>...</format><args><arg .../>*</args>`.
struct PayloadFactoryMediatorFactory: MediatorFactory {
    let elementName = "payloadFactory"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        let mediaType =
            reader.enumeration(
                "media-type",
                of: element,
                as: PayloadFactoryMediator.MediaType.self,
                caseInsensitive: true
            )
            ?? .xml
        reader.rejectText(in: element)
        var format: String?
        var formatKey: String?
        var arguments: [PayloadFactoryMediator.Argument] = []
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "format") {
                formatKey = child.attribute("key")
                format = formatKey == nil ? readInlineFormat(child, mediaType: mediaType, reader: reader) : ""
                if formatKey != nil { reader.rejectChildren(of: child) }
                if format == nil { ok = false }
            } else if reader.isSynapse(child, named: "args") {
                reader.rejectText(in: child)
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
        return .payloadFactory(
            PayloadFactoryMediator(mediaType: mediaType, format: format, formatKey: formatKey, arguments: arguments)
        )
    }

    private func readInlineFormat(
        _ element: XMLElementNode,
        mediaType: PayloadFactoryMediator.MediaType,
        reader: ArtifactReader
    ) -> String? {
        switch mediaType {
        case .json:
            reader.rejectChildren(of: element)
            return element.textContent
        case .xml:
            reader.rejectText(in: element)
            let children = element.childElements
            guard children.count == 1, let root = children.first else {
                reader.report("an xml <format> must hold exactly one element", at: element)
                return nil
            }
            return XMLFragmentWriter.string(for: root)
        }
    }

    private func readArgument(_ element: XMLElementNode, reader: ArtifactReader) -> PayloadFactoryMediator.Argument? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        let evaluator =
            reader.enumeration(
                "evaluator",
                of: element,
                as: PayloadFactoryMediator.MediaType.self,
                caseInsensitive: true
            )
        let literal = reader.flag("literal", of: element, default: false)
        guard case .value(var value) = reader.valueSource(of: element, optional: false, owner: "<arg>") else {
            return nil
        }
        // With evaluator="json" the expression is a bare JSONPath ("$.name"), not XPath.
        if evaluator == .json, case .expression(let expression) = value, case .xpath(let text) = expression.kind,
            text.hasPrefix("$")
        {
            value = .expression(
                SynapseExpression(source: expression.source, namespaces: expression.namespaces, kind: .jsonPath(text))
            )
        }
        return PayloadFactoryMediator.Argument(value: value, evaluator: evaluator, literal: literal)
    }
}
