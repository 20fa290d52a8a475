import SluiceMediation
import SluiceModel
import SluiceXML

extension ArtifactReader {
    /// Reads `<localEntry key= [src=]>text or one element</localEntry>`; a `src` of the form `file:path` is read
    /// now (relative paths as `SynapseFileURL` resolves them), an `http:`/`https:` one is the document the deployer
    /// fetched for this file (`networkSources`), as Synapse loads it when the entry deploys.
    func readLocalEntry(_ element: XMLElementNode) -> LocalEntry? {
        let key = required("key", of: element)
        var description: String?
        var elements: [XMLElementNode] = []
        for child in element.childElements {
            if isSynapse(child, named: "description") {
                rejectChildren(of: child)
                description = child.textContent.trimmingSpaces()
            } else {
                elements.append(child)
            }
        }
        guard let key else { return nil }
        if let source = element.attribute("src") {
            if !elements.isEmpty || element.hasNonWhitespaceText {
                report("a <localEntry> with 'src' takes no inline content", at: element)
                return nil
            }
            guard let content = loadLocalEntrySource(source.trimmingSpaces(), key: key, at: element) else { return nil }
            return LocalEntry(key: key, source: source, content: content, description: description, location: location(of: element))
        }
        if elements.count > 1 {
            report("a <localEntry> holds text or one element, not \(elements.count) elements", at: element)
            return nil
        }
        let content: LocalEntry.Content
        if let value = elements.first {
            ignoreText(in: element)
            guard let read = localEntryContent(value, key: key) else { return nil }
            content = read
        } else {
            content = .text(element.textContent.trimmingSpaces())
        }
        return LocalEntry(key: key, content: content, description: description, location: location(of: element))
    }

    /// An element's value: a Synapse `<sequence>` or `<endpoint>` read as one, anything else kept as XML.
    private func localEntryContent(_ element: XMLElementNode, key: String) -> LocalEntry.Content? {
        if isSynapse(element, named: "sequence") {
            // Synapse names a sequence held by an entry after the entry; a `name` on it is optional.
            return readNamedSequence(element.named(key)).map(LocalEntry.Content.sequence)
        }
        if isSynapse(element, named: "endpoint") {
            return readEndpoint(element).map(LocalEntry.Content.endpoint)
        }
        return .xml(XMLFragmentWriter.string(for: element))
    }

    private func loadLocalEntrySource(
        _ source: String,
        key: String,
        at element: XMLElementNode
    ) -> LocalEntry.Content? {
        let bytes: [UInt8]
        if NetworkDocument.isNetworkURL(source) {
            guard let fetched = fetchedLocalEntrySource(source, at: element) else { return nil }
            bytes = fetched
        } else {
            guard source.hasPrefix("file:") else {
                report(
                    "local entry source '\(source)' is not supported: only file:, http: and https: URLs are read",
                    at: element
                )
                return nil
            }
            do {
                bytes = try SynapseFileURL.contents(
                    of: source,
                    artifact: fileName,
                    limit: HardenedXMLParser.Limits.artifact.maxBytes
                )
            } catch {
                report("cannot read local entry source '\(source)': \(error.message)", at: element)
                return nil
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.trimmingSpaces().hasPrefix("<") else { return .text(text.trimmingSpaces()) }
        do {
            var root = try XMLDocumentParser().parse(bytes: bytes)
            // Diagnostics inside the loaded file point at the entry that loaded it.
            root.line = element.line
            root.column = element.column
            return localEntryContent(root, key: key)
        } catch {
            report("local entry source '\(source)' is not well-formed XML: \(error.message)", at: element)
            return nil
        }
    }

    /// The document the deployer fetched for `source`; nil after reporting why there is none (a failed fetch is
    /// an error, a fetch still running too: the deployer deploys the file again when it ends; offline, a warning
    /// and the entry is left out).
    private func fetchedLocalEntrySource(_ source: String, at element: XMLElementNode) -> [UInt8]? {
        guard let networkSources else {
            report(
                "local entry source '\(source)' is fetched only when a gateway deploys the file; use "
                    + "sluice validate or a gateway, not this reader",
                at: element
            )
            return nil
        }
        switch networkSources.document(at: source, for: fileName) {
        case .fetched(let bytes):
            return bytes
        case .failed(let reason):
            report("cannot fetch local entry source '\(source)': \(reason)", at: element)
        case .pending:
            report("local entry source '\(source)' " + NetworkDocument.pendingNote, at: element)
        case .offline:
            warn(NetworkDocument.offlineWarning("local entry source '\(source)'"), at: element)
        }
        return nil
    }

    /// Reads `<template name=><parameter .../>*(<sequence>...</sequence> | <endpoint>...</endpoint>)</template>`.
    func readTemplate(_ element: XMLElementNode) -> SynapseTemplate? {
        let name = required("name", of: element)
        ignoreText(in: element)
        var parameters: [TemplateParameter] = []
        var body: SynapseTemplate.Body?
        var ok = true
        for child in element.childElements {
            guard isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "parameter":
                if let parameter = readTemplateParameter(child) { parameters.append(parameter) } else { ok = false }
            case "sequence", "endpoint":
                if body != nil {
                    report("a <template> holds one <sequence> or <endpoint>", at: child)
                    ok = false
                }
                if child.localName == "sequence" {
                    // A template's sequence carries the template's name.
                    if let sequence = readNamedSequence(child.named(name ?? "")) {
                        body = .sequence(sequence)
                    } else {
                        ok = false
                    }
                } else {
                    // Checked when an endpoint instantiates it: `$param` values need not read as an endpoint here.
                    body = .endpoint(xml: XMLFragmentWriter.string(for: child))
                }
            case "description":
                rejectChildren(of: child)
            default:
                reportUnknown(child, in: element)
                ok = false
            }
        }
        guard ok, let name else { return nil }
        guard let body else {
            report("<template> '\(name)' needs a <sequence> or an <endpoint>", at: element)
            return nil
        }
        return SynapseTemplate(name: name, parameters: parameters, body: body, location: location(of: element))
    }

    private func readTemplateParameter(_ element: XMLElementNode) -> TemplateParameter? {
        rejectChildren(of: element)
        guard let name = required("name", of: element) else { return nil }
        var parameter = TemplateParameter(name: name)
        parameter.defaultValue = element.attribute("defaultValue") ?? element.attribute("default")
        if let text = parameter.defaultValue {
            parameter.defaultNamespaces = ArtifactReader.usedNamespaces(in: text, element: element)
        }
        if element.attribute("isMandatory") != nil {
            parameter.isMandatory = flag("isMandatory", of: element, default: false)
        } else if element.attribute("optional") != nil {
            parameter.isMandatory = !flag("optional", of: element, default: true)
        }
        return parameter
    }
}

extension XMLElementNode {
    /// The element with a `name` attribute, added when it has none.
    fileprivate func named(_ name: String) -> XMLElementNode {
        guard attribute("name") == nil else { return self }
        var named = self
        named.attributes.append(XMLAttributeNode(localName: "name", value: name))
        return named
    }
}
