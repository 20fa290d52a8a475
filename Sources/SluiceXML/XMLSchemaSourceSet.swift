internal import CLibXML2
import Glibc

/// The schema documents one `<validate>` compiles into one schema, as Synapse's `SchemaFactory.newSchema(sources)`
/// does: its `<schema key>` entries and every document their `import`/`include`/`redefine` `schemaLocation`s name.
///
/// Synapse resolves a `schemaLocation` through the `<resource location= key=>` whose location is exactly the
/// attribute's text (`ResourceMap.resolve`), and otherwise lets the JAXP factory open the location as a URL. Sluice
/// reads no file or network: a location no `<resource>` names is an error naming it. Each document is parsed by
/// `HardenedXMLParser`, its locations are rewritten to `sluice-schema:N` tokens, and during compilation a
/// process-wide libxml2 entity loader hands the token's document back; it answers only on the thread that is
/// compiling this set and passes every other load to the loader it replaced.
final class XMLSchemaSourceSet {
    /// Location text → local-entry key (`<resource>`).
    private let resources: [String: String]
    private let entryText: (String) -> String?
    /// The documents loaded by token, serialized; freed with the set.
    private var loadable: [UnsafeMutablePointer<CChar>] = []
    private var tokenByKey: [String: Int] = [:]
    /// The target namespace of each local entry's document, by token.
    private(set) var targetNamespaces: [Int: String] = [:]

    init(resources: [String: String], entryText: @escaping (String) -> String?) {
        self.resources = resources
        self.entryText = entryText
    }

    deinit {
        for text in loadable { free(text) }
    }

    static let tokenPrefix = "sluice-schema:"
    private static let schemaNamespace = "http://www.w3.org/2001/XMLSchema"

    /// Parses a schema document and rewrites its locations (loading what they name); the caller frees the result.
    /// - Throws: `XMLParseError` naming `key` for a document that is not an XML Schema, a location no resource
    ///   names, or a resource key that is no local entry.
    func parse(_ text: String, key: String) throws(XMLParseError) -> (document: xmlDocPtr, targetNamespace: String?) {
        let document: xmlDocPtr
        do {
            document = try HardenedXMLParser.parse(text, limits: .artifact).document
        } catch {
            throw XMLParseError(message: "schema '\(key)': \(error.message)", line: error.line, column: error.column)
        }
        do throws(XMLParseError) {
            guard let root = xmlDocGetRootElement(document), String(cString: root.pointee.name) == "schema",
                root.pointee.ns.flatMap({ $0.pointee.href }).map({ String(cString: $0) }) == Self.schemaNamespace
            else {
                throw XMLParseError(message: "not an XML Schema: the root element of '\(key)' is not xs:schema", line: 1, column: 1)
            }
            var child = root.pointee.children
            while let node = child {
                child = node.pointee.next
                guard node.pointee.type == XML_ELEMENT_NODE else { continue }
                let name = String(cString: node.pointee.name)
                guard ["import", "include", "redefine"].contains(name), let location = Self.attribute("schemaLocation", of: node)
                else { continue }
                let line = Int(xmlGetLineNo(node))
                guard let resourceKey = resources[location] else {
                    throw XMLParseError(
                        message: "schema '\(key)': <xs:\(name) schemaLocation=\"\(location)\"> names no <resource location=\"\(location)\" "
                            + "key=\"...\"/> of the <validate> (Sluice loads no schema from a file or the network)",
                        line: line,
                        column: 1
                    )
                }
                let token = try load(resourceKey, for: location, line: line)
                Self.setAttribute("schemaLocation", to: Self.tokenPrefix + String(token), of: node)
            }
            return (document, Self.attribute("targetNamespace", of: root))
        } catch {
            xmlFreeDoc(document)
            throw error
        }
    }

    /// The token of a schema document given as text (a wrapper combining several schemas).
    func add(text: String) -> Int {
        loadable.append(strdup(text))
        return loadable.count - 1
    }

    /// The token of a local entry's schema, loading it (and what it names) the first time.
    func load(_ key: String, for location: String, line: Int = 1, text given: String? = nil) throws(XMLParseError) -> Int {
        if let token = tokenByKey[key] { return token }
        guard let text = given ?? entryText(key) else {
            throw XMLParseError(
                message: "the <resource location=\"\(location)\" key=\"\(key)\"/> names no local entry '\(key)'",
                line: line,
                column: 1
            )
        }
        // Reserved before loading what it names, so documents that include each other load once.
        let token = add(text: "")
        tokenByKey[key] = token
        let (document, targetNamespace) = try parse(text, key: key)
        defer { xmlFreeDoc(document) }
        targetNamespaces[token] = targetNamespace
        guard let buffer = xmlBufferCreate(), let root = xmlDocGetRootElement(document) else {
            throw XMLParseError(message: "cannot serialize schema '\(key)' (out of memory)", line: 1, column: 1)
        }
        defer { xmlBufferFree(buffer) }
        guard xmlNodeDump(buffer, document, root, 0, 0) >= 0, let bytes = xmlBufferContent(buffer) else {
            throw XMLParseError(message: "cannot serialize schema '\(key)' (out of memory)", line: 1, column: 1)
        }
        free(loadable[token])
        loadable[token] = strdup(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self))
        return token
    }

    /// Runs `body` (a schema compilation) with this set answering libxml2's loads of `sluice-schema:` tokens.
    func whileCompiling<T>(_ body: () throws(XMLParseError) -> T) throws(XMLParseError) -> T {
        _ = schemaLoaderInstalled
        let previous = pthread_getspecific(compilingSetKey)
        pthread_setspecific(compilingSetKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(compilingSetKey, previous) }
        return try body()
    }

    fileprivate func document(at url: String) -> UnsafeMutablePointer<CChar>? {
        guard url.hasPrefix(Self.tokenPrefix), let token = Int(url.dropFirst(Self.tokenPrefix.count)),
            loadable.indices.contains(token)
        else { return nil }
        return loadable[token]
    }

    private static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        let attribute = name.withCString { xmlHasProp(node, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
        guard let attribute else { return nil }
        // The attribute's value is its text child; reading it in place needs no copy to free.
        return attribute.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
    }

    private static func setAttribute(_ name: String, to value: String, of node: xmlNodePtr) {
        name.withCString { name in
            value.withCString { value in
                _ = xmlSetProp(
                    node,
                    UnsafeRawPointer(name).assumingMemoryBound(to: xmlChar.self),
                    UnsafeRawPointer(value).assumingMemoryBound(to: xmlChar.self)
                )
            }
        }
    }
}

/// The set compiling on this thread, if any.
private let compilingSetKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

// Read once, before `schemaLoaderInstalled` replaces it.
private let replacedEntityLoader: xmlExternalEntityLoader? = xmlGetExternalEntityLoader()

/// Installs the loader once per process (libxml2's entity loader is process-wide).
private let schemaLoaderInstalled: Bool = {
    _ = replacedEntityLoader
    xmlSetExternalEntityLoader(loadSchemaResource)
    return true
}()

/// Hands back the token's document while a set compiles on this thread, refuses anything else then, and otherwise
/// behaves as the loader it replaced.
private func loadSchemaResource(
    _ url: UnsafePointer<CChar>?,
    _ id: UnsafePointer<CChar>?,
    _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    guard let current = pthread_getspecific(compilingSetKey) else { return replacedEntityLoader?(url, id, context) }
    let set = Unmanaged<XMLSchemaSourceSet>.fromOpaque(current).takeUnretainedValue()
    guard let url, let context, let text = set.document(at: String(cString: url)) else { return nil }
    // libxml2 2.9 copies the bytes into the input buffer; the set keeps them alive until compilation ends anyway.
    guard let input = xmlParserInputBufferCreateMem(text, Int32(strlen(text)), XML_CHAR_ENCODING_NONE) else { return nil }
    return xmlNewIOInputStream(context, input, XML_CHAR_ENCODING_NONE)
}
