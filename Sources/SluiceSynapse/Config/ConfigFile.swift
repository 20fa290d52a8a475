import SluiceModel
import SluiceMediation
import SluiceXML

/// Shared reading of the small XML configuration files under `repository/conf/`.
struct ConfigFile {
    let root: XMLElementNode
    let reader: ArtifactReader

    /// Parses the file, or returns nil when it does not exist (callers then use defaults).
    static func load(path: String) throws(SynapseDiagnostics) -> ConfigFile? {
        guard FileBytes.exists(path) else { return nil }
        let parser = SynapseParser(limits: SynapseParser.Limits(maxFileBytes: 1024 * 1024, maxDepth: 64))
        let bytes = try FileBytes.read(path: path, limit: parser.limits.maxFileBytes)
        let root = try parser.parseDocument(bytes: bytes, fileName: path)
        return ConfigFile(root: root, reader: ArtifactReader(fileName: path))
    }

    /// Throws the diagnostics collected so far, if any.
    func finish() throws(SynapseDiagnostics) {
        if !reader.diagnostics.isEmpty { throw SynapseDiagnostics(reader.diagnostics) }
    }

    /// Checks the root element's name and namespace (nil accepts a root without a namespace too).
    func expectRoot(_ name: String, namespace: String?) {
        let namespaceMatches = root.namespaceURI == namespace || root.namespaceURI == nil
        guard root.localName == name, namespaceMatches else {
            let expected = namespace.map { " in namespace '\($0)'" } ?? ""
            reader.report("expected root element <\(name)>\(expected), found <\(root.qualifiedName)>", at: root)
            return
        }
    }

    /// The trimmed text of the child element `name`, if present.
    func text(of name: String, in element: XMLElementNode) -> (text: String, element: XMLElementNode)? {
        guard let child = element.childElements.first(where: { $0.localName == name }) else { return nil }
        return (child.textContent.trimmingSpaces(), child)
    }

    /// An integer child element; reports text that is not an integer.
    func integer<Number: FixedWidthInteger>(_ name: String, in element: XMLElementNode) -> Number? {
        guard let (text, child) = text(of: name, in: element) else { return nil }
        return reader.integer(text, named: name, in: child)
    }

    /// A `true`/`false` child element; reports anything else.
    func boolean(_ name: String, in element: XMLElementNode) -> Bool? {
        guard let (text, child) = text(of: name, in: element) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            reader.report("<\(name)> must be true or false, not '\(text)'", at: child)
            return nil
        }
    }
}

extension XMLElementNode {
    /// The first child element called `name` (any namespace).
    func child(_ name: String) -> XMLElementNode? {
        childElements.first { $0.localName == name }
    }
}
