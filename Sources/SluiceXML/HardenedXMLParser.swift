package import CLibXML2

/// The one place Sluice hands bytes to libxml2: artifact files (through `XMLDocumentParser`) and message payloads
/// (the mediation XPath engine, `enrich`, `validate`) are parsed here with the same hardening.
///
/// - No network: `XML_PARSE_NONET`, and no DTD loading.
/// - No DOCTYPE at all, hence no entity declarations and no external subsets: the parse stops at `<!DOCTYPE`.
///   Entities are never substituted (`XML_PARSE_NOENT` is never passed); only the five predefined ones and
///   character references exist.
/// - A size limit checked before libxml2 sees a byte, and a depth limit checked as each element opens (libxml2
///   itself never accepts more than 256 levels, since `XML_PARSE_HUGE` is never passed).
///
/// Each call uses its own parser context, so parsing is safe from several threads at once.
package enum HardenedXMLParser {
    /// Bounds on one document.
    package struct Limits: Sendable, Hashable {
        /// Documents larger than this are refused before parsing.
        package var maxBytes: Int
        /// Elements nested deeper than this are refused (at most 256, libxml2's own ceiling).
        package var maxDepth: Int

        /// Creates limits.
        package init(maxBytes: Int, maxDepth: Int = 256) {
            self.maxBytes = maxBytes
            self.maxDepth = min(maxDepth, 256)
        }

        /// Artifact files: 10 MiB, 256 levels.
        package static let artifact = Limits(maxBytes: 10 * 1024 * 1024)
        /// Message payloads: the gateway already bounds buffered bodies; this is a backstop of 64 MiB.
        package static let payload = Limits(maxBytes: 64 * 1024 * 1024)
    }

    /// A parsed document; the caller owns `document` and frees it with `xmlFreeDoc`.
    package struct Parsed {
        package let document: xmlDocPtr
        /// Where each element's start tag begins, when positions were asked for.
        package let positions: [UnsafeMutableRawPointer: XMLPosition]
    }

    /// Parses one document.
    /// - Parameters:
    ///   - bytes: The document, UTF-8 or with an XML declaration naming its encoding.
    ///   - limits: Size and depth bounds.
    ///   - encoding: The encoding to assume instead of detecting it.
    ///   - recordPositions: Note where each start tag begins (for diagnostics); costs a little per element.
    /// - Throws: `XMLParseError` for malformed XML, a DOCTYPE, an empty document, or input over the limits.
    package static func parse(
        _ bytes: UnsafeRawBufferPointer,
        limits: Limits,
        encoding: String? = nil,
        recordPositions: Bool = false
    ) throws(XMLParseError) -> Parsed {
        initializeLibXML
        // An empty buffer may have no storage address to hand to libxml2.
        guard bytes.count > 0 else { throw XMLParseError(message: "Document is empty", line: 1, column: 1) }
        guard bytes.count <= limits.maxBytes, bytes.count <= Int(Int32.max) else {
            throw XMLParseError(
                message: "document is \(bytes.count) bytes, over the limit of \(limits.maxBytes) bytes",
                line: 1,
                column: 1
            )
        }
        guard let context = xmlNewParserCtxt() else {
            throw XMLParseError(message: "cannot create an XML parser (out of memory)", line: 1, column: 1)
        }
        defer { xmlFreeParserCtxt(context) }

        let state = ParseState(maxDepth: limits.maxDepth, recordPositions: recordPositions)
        let retainedState = Unmanaged.passRetained(state)
        defer { retainedState.release() }
        context.pointee._private = retainedState.toOpaque()
        context.pointee.sax.pointee.serror = recordStructuredError
        context.pointee.sax.pointee.internalSubset = refuseDoctype
        state.defaultStartElement = context.pointee.sax.pointee.startElementNs
        context.pointee.sax.pointee.startElementNs = checkElementStart

        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue)
        let document = xmlCtxtReadMemory(
            context,
            bytes.baseAddress!.assumingMemoryBound(to: CChar.self),
            Int32(bytes.count),
            "document.xml",
            encoding,
            options
        )
        if let first = state.first {
            if let document { xmlFreeDoc(document) }
            throw XMLParseError(message: friendlyMessage(first.message), line: first.line, column: first.column)
        }
        guard let document else {
            throw XMLParseError(message: "the document is not well-formed XML", line: 1, column: 1)
        }
        guard document.pointee.intSubset == nil, document.pointee.extSubset == nil else {
            xmlFreeDoc(document)
            throw XMLParseError(message: "DOCTYPE is not allowed", line: 1, column: 1)
        }
        guard xmlDocGetRootElement(document) != nil else {
            xmlFreeDoc(document)
            throw XMLParseError(message: "the document has no root element", line: 1, column: 1)
        }
        return Parsed(document: document, positions: state.positions)
    }

    /// Parses text (see `parse(_:limits:encoding:recordPositions:)`); Swift strings are UTF-8, whatever an XML
    /// declaration in them says.
    package static func parse(_ text: String, limits: Limits = .payload) throws(XMLParseError) -> Parsed {
        var text = text
        // `withUTF8` rethrows untyped errors; the result carries the typed one out.
        let result = text.withUTF8 { buffer in
            Result { () throws(XMLParseError) in
                try parse(UnsafeRawBufferPointer(buffer), limits: limits, encoding: "UTF-8")
            }
        }
        return try result.get()
    }

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

/// A line and column in a document (1-based).
package struct XMLPosition: Sendable, Hashable {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// Why a document could not be parsed, and where.
package struct XMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    package var message: String
    /// 1-based line and column of the problem.
    package var line: Int
    package var column: Int

    package init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = max(line, 1)
        self.column = max(column, 1)
    }

    package var description: String { "\(line):\(column): \(message)" }
}

/// The state of one parse shared with libxml2's callbacks: the first error it reported (later ones are usually
/// consequences, and keeping only one bounds memory) and where each element's start tag begins.
private final class ParseState {
    struct Entry {
        var message: String
        var line: Int
        var column: Int
    }

    let maxDepth: Int
    let recordPositions: Bool
    var first: Entry?
    /// Start-tag positions by node; libxml2 itself records only the line where a start tag ends.
    var positions: [UnsafeMutableRawPointer: XMLPosition] = [:]
    var defaultStartElement: startElementNsSAX2Func?

    init(maxDepth: Int, recordPositions: Bool) {
        self.maxDepth = maxDepth
        self.recordPositions = recordPositions
    }
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
    if let state = parseState(context), state.first == nil {
        let line = Int(parserContext.pointee.input?.pointee.line ?? 1)
        state.first = ParseState.Entry(message: "DOCTYPE is not allowed", line: line, column: 1)
    }
    xmlStopParser(parserContext)
}

// Wraps libxml2's own tree-building callback to enforce the depth limit and, for artifacts, note where the start
// tag began. When it runs, the input cursor sits at the tag's closing '>' and the tag's '<' is still in the buffer
// (libxml2 does not shrink the input in the middle of a start tag), so walking back costs no more than parsing
// the tag did.
private func checkElementStart(
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
    let tooDeep = Int(parserContext.pointee.nodeNr) > state.maxDepth
    guard state.recordPositions || tooDeep else { return }
    guard let node = parserContext.pointee.node, let input = parserContext.pointee.input,
        let base = input.pointee.base, let cursor = input.pointee.cur
    else { return }
    var start = cursor
    var newlines = 0
    while start > base && start.pointee != UInt8(ascii: "<") {
        start -= 1
        if start.pointee == UInt8(ascii: "\n") { newlines += 1 }
    }
    let line = Int(input.pointee.line) - newlines
    var column = 1
    if start.pointee == UInt8(ascii: "<") {
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
    }
    let position = XMLPosition(line: max(line, 1), column: column)
    if tooDeep {
        if state.first == nil {
            state.first = ParseState.Entry(
                message: "elements are nested deeper than \(state.maxDepth) levels",
                line: position.line,
                column: position.column
            )
        }
        xmlStopParser(parserContext)
        return
    }
    state.positions[UnsafeMutableRawPointer(node)] = position
}
