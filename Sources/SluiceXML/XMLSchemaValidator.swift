package import CLibXML2

/// An XML Schema compiled once, at deploy time, that validates elements of message payloads (`<validate>`).
///
/// The schema text goes through `HardenedXMLParser`, and a schema must be self-contained: `import`, `include` and
/// `redefine` with a `schemaLocation` are refused, so compiling never reads a file or the network.
package final class XMLSchemaValidator: @unchecked Sendable {
    // libxml2 treats a compiled schema as read-only while validating, and each validation below has its own
    // validation context, so one instance serves every thread. The schema document stays alive with it because
    // compiled components point into it.
    private let schema: xmlSchemaPtr
    private let document: xmlDocPtr

    /// Compiles a schema.
    /// - Throws: `XMLParseError` when the text is not well-formed, not an XML Schema, or not self-contained.
    package init(schemaText: String) throws(XMLParseError) {
        let parsed = try HardenedXMLParser.parse(schemaText, limits: .artifact)
        let document = parsed.document
        do throws(XMLParseError) {
            try Self.checkSelfContained(document)
            let errors = ErrorList()
            let retained = Unmanaged.passRetained(errors)
            defer { retained.release() }
            guard let parserContext = xmlSchemaNewDocParserCtxt(document) else {
                throw XMLParseError(message: "cannot compile the schema (out of memory)", line: 1, column: 1)
            }
            defer { xmlSchemaFreeParserCtxt(parserContext) }
            xmlSchemaSetParserStructuredErrors(parserContext, collectSchemaError, retained.toOpaque())
            let compiled = xmlSchemaParse(parserContext)
            guard let schema = compiled, errors.messages.isEmpty else {
                if let compiled { xmlSchemaFree(compiled) }
                throw XMLParseError(
                    message: "not a valid XML Schema: " + (errors.messages.first ?? "the schema does not compile"),
                    line: errors.firstLine ?? 1,
                    column: 1
                )
            }
            self.schema = schema
            self.document = document
        } catch {
            xmlFreeDoc(document)
            throw error
        }
    }

    deinit {
        xmlSchemaFree(schema)
        xmlFreeDoc(document)
    }

    /// Validates an element and its subtree.
    /// - Returns: The problems found, in document order; empty when the element is valid.
    package func problems(validating element: xmlNodePtr) -> [String] {
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["cannot validate (out of memory)"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let errors = ErrorList()
        let retained = Unmanaged.passRetained(errors)
        defer { retained.release() }
        xmlSchemaSetValidStructuredErrors(context, collectSchemaError, retained.toOpaque())
        let status = xmlSchemaValidateOneElement(context, element)
        if status != 0 && errors.messages.isEmpty { return ["the element is not valid against the schema"] }
        return errors.messages
    }

    private static let schemaNamespace = "http://www.w3.org/2001/XMLSchema"

    private static func checkSelfContained(_ document: xmlDocPtr) throws(XMLParseError) {
        guard let root = xmlDocGetRootElement(document), String(cString: root.pointee.name) == "schema",
            root.pointee.ns.flatMap({ $0.pointee.href }).map({ String(cString: $0) }) == schemaNamespace
        else {
            throw XMLParseError(message: "not an XML Schema: the root element is not xs:schema", line: 1, column: 1)
        }
        var child = root.pointee.children
        while let node = child {
            child = node.pointee.next
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            let name = String(cString: node.pointee.name)
            guard ["import", "include", "redefine"].contains(name),
                let location = "schemaLocation".withCString({ name in
                    xmlHasProp(node, UnsafeRawPointer(name).assumingMemoryBound(to: xmlChar.self))
                })
            else { continue }
            // The attribute's value is its text child; reading it in place needs no copy to free.
            let text = location.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
            throw XMLParseError(
                message: "the schema's <\(name) schemaLocation=\"\(text)\"> is not loaded (no file or network access); "
                    + "put the definitions in one schema",
                line: Int(xmlGetLineNo(node)),
                column: 1
            )
        }
    }
}

/// The messages libxml2 reports while compiling or validating.
private final class ErrorList {
    var messages: [String] = []
    var firstLine: Int?
}

private func collectSchemaError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let userData, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let list = Unmanaged<ErrorList>.fromOpaque(userData).takeUnretainedValue()
    var message = error.pointee.message.map { String(cString: $0) } ?? "invalid"
    while message.last?.isWhitespace == true { message.removeLast() }
    list.messages.append(message)
    if list.firstLine == nil { list.firstLine = Int(error.pointee.line) }
}
