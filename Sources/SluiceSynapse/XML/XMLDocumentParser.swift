internal import CLibXML2
import SluiceModel

/// Parses XML bytes with libxml2 into an `XMLElementNode` tree, refusing anything that could reach outside the
/// document: no DOCTYPE (hence no entity definitions), no network, no external subsets.
///
/// Each call uses its own parser context, so parsing is safe from several threads at once.
struct XMLDocumentParser: Sendable {
    /// Elements nested deeper than this are refused.
    var maxDepth: Int

    /// Parses a whole document.
    /// - Throws: `SynapseDiagnostics` for malformed XML, a DOCTYPE, or nesting beyond `maxDepth`.
    func parse(bytes: [UInt8], fileName: String) throws(SynapseDiagnostics) -> XMLElementNode {
        Self.initializeLibXML
        // An empty array may have no storage address to hand to libxml2.
        guard !bytes.isEmpty else {
            throw SynapseDiagnostics(message: "Document is empty", location: SourceLocation(file: fileName, line: 1))
        }
        guard bytes.count <= Int(Int32.max) else {
            throw SynapseDiagnostics(message: "file is too large", location: SourceLocation(file: fileName, line: 1))
        }
        guard let context = xmlNewParserCtxt() else {
            throw SynapseDiagnostics(
                message: "cannot create an XML parser (out of memory)",
                location: SourceLocation(file: fileName, line: 1)
            )
        }
        defer { xmlFreeParserCtxt(context) }

        let state = ParseState()
        let retainedState = Unmanaged.passRetained(state)
        defer { retainedState.release() }
        context.pointee._private = retainedState.toOpaque()
        context.pointee.sax.pointee.serror = recordStructuredError
        context.pointee.sax.pointee.internalSubset = refuseDoctype
        state.defaultStartElement = context.pointee.sax.pointee.startElementNs
        context.pointee.sax.pointee.startElementNs = recordElementStart

        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), fileName, nil, options)
            }
        }
        defer { if let document { xmlFreeDoc(document) } }

        if let first = state.first {
            throw SynapseDiagnostics(
                message: Self.friendlyMessage(first.message),
                location: SourceLocation(file: fileName, line: max(first.line, 1), column: max(first.column, 1))
            )
        }
        guard let document, let root = xmlDocGetRootElement(document) else {
            throw SynapseDiagnostics(
                message: "the document has no root element",
                location: SourceLocation(file: fileName, line: 1)
            )
        }
        if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
            throw SynapseDiagnostics(
                message: "DOCTYPE is not allowed",
                location: SourceLocation(file: fileName, line: 1)
            )
        }
        return try convert(
            root,
            depth: 1,
            inherited: ["xml": "http://www.w3.org/XML/1998/namespace"],
            positions: state.positions,
            fileName: fileName
        )
    }

    // MARK: - Tree conversion

    private func convert(
        _ node: xmlNodePtr,
        depth: Int,
        inherited: [String: String],
        positions: [UnsafeMutableRawPointer: ParseState.Position],
        fileName: String
    ) throws(SynapseDiagnostics) -> XMLElementNode {
        let position =
            positions[UnsafeMutableRawPointer(node)]
            ?? ParseState.Position(line: max(Int(xmlGetLineNo(node)), 1), column: 1)
        guard depth <= maxDepth else {
            throw SynapseDiagnostics(
                message: "elements are nested deeper than \(maxDepth) levels",
                location: SourceLocation(file: fileName, line: position.line, column: position.column)
            )
        }
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
                let element = try convert(
                    current,
                    depth: depth + 1,
                    inherited: inScope,
                    positions: positions,
                    fileName: fileName
                )
                children.append(.element(element))
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

    // MARK: - libxml2 plumbing

    // xmlInitParser is not safe to race on first use; a static let runs it exactly once.
    private static let initializeLibXML: Void = xmlInitParser()

    private static func friendlyMessage(_ raw: String) -> String {
        var message = raw
        while message.last?.isWhitespace == true { message.removeLast() }
        if message.contains("Excessive depth") {
            return "elements are nested too deeply (libxml2 refuses more than 256 levels)"
        }
        return message
    }
}

/// The state of one parse shared with libxml2's callbacks: the first error it reported (later ones are usually
/// consequences, and keeping only one bounds memory) and where each element's start tag begins.
private final class ParseState {
    struct Entry {
        var message: String
        var line: Int
        var column: Int
    }

    struct Position {
        var line: Int
        var column: Int
    }

    var first: Entry?
    /// Start-tag positions by node; libxml2 itself records only the line where a start tag ends.
    var positions: [UnsafeMutableRawPointer: Position] = [:]
    var defaultStartElement: startElementNsSAX2Func?
}

private func parseState(_ context: UnsafeMutableRawPointer?) -> ParseState? {
    guard let context else { return nil }
    let parserContext = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let opaque = parserContext.pointee._private else { return nil }
    return Unmanaged<ParseState>.fromOpaque(opaque).takeUnretainedValue()
}

// Called by libxml2 for every error and warning of this context, instead of printing to stderr.
private func recordStructuredError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let error, let state = parseState(userData) else { return }
    guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
    if state.first == nil {
        state.first = ParseState.Entry(message: message, line: Int(error.pointee.line), column: Int(error.pointee.int2))
    }
}

// Called when the parser meets `<!DOCTYPE`: refusing here, before any entity is declared, stops entity
// expansion attacks and external subsets outright.
private func refuseDoctype(
    _ context: UnsafeMutableRawPointer?,
    _ name: UnsafePointer<xmlChar>?,
    _ externalID: UnsafePointer<xmlChar>?,
    _ systemID: UnsafePointer<xmlChar>?
) {
    guard let context else { return }
    let parserContext = context.assumingMemoryBound(to: xmlParserCtxt.self)
    if let state = parseState(context) {
        let line = Int(parserContext.pointee.input?.pointee.line ?? 1)
        if state.first == nil {
            state.first = ParseState.Entry(message: "DOCTYPE is not allowed", line: line, column: 1)
        }
    }
    xmlStopParser(parserContext)
}

// Wraps libxml2's own tree-building callback to note where the start tag began. When it runs, the input cursor
// sits at the tag's closing '>' and the tag's '<' is still in the buffer (libxml2 does not shrink the input in
// the middle of a start tag), so walking back costs no more than parsing the tag did.
private func recordElementStart(
    _ context: UnsafeMutableRawPointer?,
    _ localName: UnsafePointer<xmlChar>?,
    _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?,
    _ namespaceCount: Int32,
    _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ attributeCount: Int32,
    _ defaultedCount: Int32,
    _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    guard let context, let state = parseState(context) else { return }
    state.defaultStartElement?(
        context,
        localName,
        prefix,
        uri,
        namespaceCount,
        namespaces,
        attributeCount,
        defaultedCount,
        attributes
    )
    let parserContext = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let node = parserContext.pointee.node, let input = parserContext.pointee.input,
        let base = input.pointee.base, let cursor = input.pointee.cur
    else { return }
    var start = cursor
    var newlines = 0
    while start > base && start.pointee != UInt8(ascii: "<") {
        start -= 1
        if start.pointee == UInt8(ascii: "\n") { newlines += 1 }
    }
    guard start.pointee == UInt8(ascii: "<") else { return }
    let line = Int(input.pointee.line) - newlines
    var column = 1
    if newlines == 0 {
        column = max(Int(input.pointee.col) - (cursor - start), 1)
    } else {
        // Bounded, so a pathological layout cannot make this quadratic; past the bound we say column 1.
        var lineStart = start
        while lineStart > base && start - lineStart < 4096 && (lineStart - 1).pointee != UInt8(ascii: "\n") {
            lineStart -= 1
        }
        if lineStart == base || (lineStart - 1).pointee == UInt8(ascii: "\n") { column = start - lineStart + 1 }
    }
    state.positions[UnsafeMutableRawPointer(node)] = ParseState.Position(line: max(line, 1), column: column)
}
