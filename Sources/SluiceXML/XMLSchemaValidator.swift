package import CLibXML2

/// An XML Schema compiled once, at deploy time, that validates elements of message payloads (`<validate>`).
///
/// The schema is one document or several combined (Synapse's `SchemaFactory.newSchema(sources)`); `import`,
/// `include` and `redefine` with a `schemaLocation` load the local entry a `<resource>` names for that location
/// (`XMLSchemaSourceSet`), so compiling never reads a file or the network.
package final class XMLSchemaValidator: @unchecked Sendable {
    // libxml2 treats a compiled schema as read-only while validating, and each validation below has its own
    // validation context, so one instance serves every thread. The schema document stays alive with it because
    // compiled components point into it.
    private let schema: xmlSchemaPtr
    private let document: xmlDocPtr

    /// Compiles a self-contained schema.
    /// - Throws: `XMLParseError` when the text is not well-formed, not an XML Schema, or not self-contained.
    package convenience init(schemaText: String) throws(XMLParseError) {
        try self.init(schemas: [(key: "schema", text: schemaText)], resources: [:], entryText: { _ in nil })
    }

    /// Compiles one schema from several documents.
    /// - Parameters:
    ///   - schemas: The `<schema key>` entries and their text, in order.
    ///   - resources: `<resource>`: a `schemaLocation`'s exact text → the local entry holding that document.
    ///   - entryText: The text of a local entry, nil when there is none.
    /// - Throws: `XMLParseError` when a document is not well-formed or not an XML Schema, a `schemaLocation` no
    ///   resource names (the message names it), a resource naming no local entry, or a schema that does not compile.
    package init(
        schemas: [(key: String, text: String)],
        resources: [String: String],
        entryText: @escaping (String) -> String?
    ) throws(XMLParseError) {
        let sources = XMLSchemaSourceSet(resources: resources, entryText: entryText)
        let document: xmlDocPtr
        if schemas.count == 1, let only = schemas.first {
            document = try sources.parse(only.text, key: only.key).document
        } else {
            document = try HardenedXMLParser.parse(try Self.combining(schemas, in: sources), limits: .artifact).document
        }
        do throws(XMLParseError) {
            let errors = ErrorList()
            let retained = Unmanaged.passRetained(errors)
            defer { retained.release() }
            guard let parserContext = xmlSchemaNewDocParserCtxt(document) else {
                throw XMLParseError(message: "cannot compile the schema (out of memory)", line: 1, column: 1)
            }
            defer { xmlSchemaFreeParserCtxt(parserContext) }
            xmlSchemaSetParserStructuredErrors(parserContext, collectSchemaError, retained.toOpaque())
            let compiled = try sources.whileCompiling { () throws(XMLParseError) in xmlSchemaParse(parserContext) }
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

    /// A schema document importing or including every schema: one `import` per target namespace (documents
    /// sharing a namespace are included by one document of that namespace, since libxml2 skips a second import of
    /// a namespace), one `include` per schema without one.
    private static func combining(
        _ schemas: [(key: String, text: String)],
        in sources: XMLSchemaSourceSet
    ) throws(XMLParseError) -> String {
        var namespaces: [String] = []
        var tokensByNamespace: [String: [Int]] = [:]
        var includes: [Int] = []
        for schema in schemas {
            let token = try sources.load(schema.key, for: schema.key, text: schema.text)
            if let namespace = sources.targetNamespaces[token] {
                if tokensByNamespace[namespace] == nil { namespaces.append(namespace) }
                tokensByNamespace[namespace, default: []].append(token)
            } else {
                includes.append(token)
            }
        }
        func location(_ token: Int) -> String { XMLSchemaSourceSet.tokenPrefix + String(token) }
        let open = #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema""#
        var text = open + ">"
        for namespace in namespaces {
            var tokens = tokensByNamespace[namespace] ?? []
            let escaped = XMLEscaping.attribute(namespace)
            if tokens.count > 1 {
                let including = tokens.map { #"<xs:include schemaLocation="\#(location($0))"/>"# }.joined()
                tokens = [sources.add(text: open + #" targetNamespace="\#(escaped)">"# + including + "</xs:schema>")]
            }
            text += #"<xs:import namespace="\#(escaped)" schemaLocation="\#(location(tokens[0]))"/>"#
        }
        for token in includes { text += #"<xs:include schemaLocation="\#(location(token))"/>"# }
        return text + "</xs:schema>"
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
