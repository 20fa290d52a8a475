internal import CLibXML2

/// Parses XML bytes into an `XMLElementNode` tree (through `HardenedXMLParser`, so with the same refusals: no
/// DOCTYPE, no network, no entities, size and depth limits), noting where each start tag begins.
///
/// Each call uses its own parser context, so parsing is safe from several threads at once.
package struct XMLDocumentParser: Sendable {
    /// Size and depth bounds.
    package var limits: HardenedXMLParser.Limits

    /// Creates a parser with the given bounds.
    package init(limits: HardenedXMLParser.Limits = .artifact) {
        self.limits = limits
    }

    /// Parses a whole document.
    /// - Throws: `XMLParseError` for malformed XML, a DOCTYPE, or input over the limits.
    package func parse(bytes: [UInt8]) throws(XMLParseError) -> XMLElementNode {
        // `withUnsafeBytes` rethrows untyped errors; the result carries the typed one out.
        let parsed = try bytes.withUnsafeBytes { buffer in
            Result { () throws(XMLParseError) in
                try HardenedXMLParser.parse(buffer, limits: limits, recordPositions: true)
            }
        }.get()
        defer { xmlFreeDoc(parsed.document) }
        // The parser refused documents without a root.
        let root = xmlDocGetRootElement(parsed.document)!
        return Self.convert(root, inherited: ["xml": "http://www.w3.org/XML/1998/namespace"], positions: parsed.positions)
    }

    /// Parses XML text.
    package func parse(text: String) throws(XMLParseError) -> XMLElementNode {
        try parse(bytes: Array(text.utf8))
    }

    // MARK: - Tree conversion

    // Depth was bounded while parsing, so this recursion is too.
    private static func convert(
        _ node: xmlNodePtr,
        inherited: [String: String],
        positions: [UnsafeMutableRawPointer: XMLPosition]
    ) -> XMLElementNode {
        let position =
            positions[UnsafeMutableRawPointer(node)] ?? XMLPosition(line: max(Int(xmlGetLineNo(node)), 1), column: 1)
        var declarations: [XMLNamespaceDeclaration] = []
        var inScope = inherited
        var namespace = node.pointee.nsDef
        while let current = namespace {
            let prefix = current.pointee.prefix.map { String(cString: $0) }
            let uri = current.pointee.href.map { String(cString: $0) } ?? ""
            declarations.append(XMLNamespaceDeclaration(prefix: prefix, uri: uri))
            inScope[prefix ?? ""] = uri
            namespace = current.pointee.next
        }

        var attributes: [XMLAttributeNode] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            var value = ""
            var valueNode = current.pointee.children
            while let text = valueNode {
                if let content = text.pointee.content { value += String(cString: content) }
                valueNode = text.pointee.next
            }
            attributes.append(
                XMLAttributeNode(
                    localName: String(cString: current.pointee.name),
                    prefix: current.pointee.ns?.pointee.prefix.map { String(cString: $0) },
                    namespaceURI: current.pointee.ns?.pointee.href.map { String(cString: $0) },
                    value: value
                )
            )
            attribute = current.pointee.next
        }

        var children: [XMLContentNode] = []
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(.element(convert(current, inherited: inScope, positions: positions)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let text = current.pointee.content.map { String(cString: $0) } ?? ""
                if case .text(let previous)? = children.last {
                    children[children.count - 1] = .text(previous + text)
                } else {
                    children.append(.text(text))
                }
            case XML_COMMENT_NODE:
                children.append(.comment(current.pointee.content.map { String(cString: $0) } ?? ""))
            default:
                // Processing instructions carry nothing the artifact model uses.
                break
            }
            child = current.pointee.next
        }

        return XMLElementNode(
            localName: String(cString: node.pointee.name),
            prefix: node.pointee.ns?.pointee.prefix.map { String(cString: $0) },
            namespaceURI: node.pointee.ns?.pointee.href.map { String(cString: $0) },
            attributes: attributes,
            namespaceDeclarations: declarations,
            inScopeNamespaces: inScope,
            children: children,
            line: position.line,
            column: position.column
        )
    }
}
