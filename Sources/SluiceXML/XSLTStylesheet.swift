package import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// An XSLT 1.0 stylesheet (libxslt) compiled once, at deploy time, that transforms elements of message payloads
/// (`<xslt>`).
///
/// Stylesheets are sandboxed: the text goes through `HardenedXMLParser`; `xsl:import`, `xsl:include` and
/// `document()` load nothing (libxslt's document loader is replaced by one that refuses every URI, and the
/// security preferences forbid reading and writing files, creating directories and network access); each
/// transformation has an operation limit on its XPath evaluations and a template-depth limit, so a runaway
/// stylesheet stops with an error instead of holding the event loop.
package final class XSLTStylesheet: @unchecked Sendable {
    // libxslt treats a compiled stylesheet as read-only while transforming, and each transformation has its own
    // transform context, so one instance serves every thread.
    private let stylesheet: xsltStylesheetPtr
    /// True for `<xsl:output method="text"/>`.
    package let producesText: Bool

    /// The XSLT namespace.
    package static let namespace = "http://www.w3.org/1999/XSL/Transform"

    /// XPath operations one transformation may run before it is stopped.
    package static let operationLimit: UInt = 5_000_000
    /// Templates one transformation may nest (libxslt's default is 3000; each level costs C stack).
    package static let templateDepthLimit: Int32 = 1000

    /// Compiles a stylesheet.
    /// - Parameters:
    ///   - text: The stylesheet.
    ///   - name: Where it comes from (a local entry's key), used in messages.
    /// - Throws: `XMLParseError` with the line of the first problem when the text is not well-formed or is not a
    ///   stylesheet libxslt compiles.
    package init(text: String, name: String) throws(XMLParseError) {
        _ = Self.sandbox
        let parsed = try HardenedXMLParser.parse(text, limits: .artifact)
        let document = parsed.document
        name.withCString {
            document.pointee.URL = UnsafePointer(xmlStrdup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)))
        }
        // libxslt keeps the pointer past the call that installs it: the messages live on the heap.
        let messages = Self.newMessages()
        defer { messages.deallocate() }
        // libxslt reports compile errors through a process-wide handler: compilations take turns.
        Self.compileLock.lock()
        sluice_xslt_collect_generic_errors(messages)
        let compiled = xsltParseStylesheetDoc(document)
        sluice_xslt_collect_generic_errors(nil)
        Self.compileLock.unlock()
        let report = Self.text(of: messages)
        guard let compiled, compiled.pointee.errors == 0 else {
            // On failure libxslt leaves the document to us; on success it belongs to the stylesheet.
            if let compiled { xsltFreeStylesheet(compiled) } else { xmlFreeDoc(document) }
            throw XMLParseError(
                message: "not a valid XSLT stylesheet: " + (report.isEmpty ? "it does not compile" : report),
                line: Self.firstLine(in: report) ?? 1,
                column: 1
            )
        }
        stylesheet = compiled
        producesText = compiled.pointee.method.map { String(cString: $0) } == "text"
    }

    deinit {
        xsltFreeStylesheet(stylesheet)
    }

    /// What a transformation produced.
    package enum Output {
        /// A result document; the caller frees it with `xmlFreeDoc`.
        case document(xmlDocPtr)
        /// The serialized text of a `method="text"` stylesheet.
        case text(String)
    }

    /// Transforms a copy of `element` (and its subtree), which stays untouched.
    /// - Parameter parameters: Top-level `xsl:param` values, passed as strings.
    /// - Throws: `XMLParseError` (line 1) with libxslt's messages when the transformation fails or is stopped.
    package func transform(_ element: xmlNodePtr, parameters: [(String, String)]) throws(XMLParseError) -> Output {
        guard let input = xmlNewDoc(nil) else { throw Self.failure("out of memory") }
        defer { xmlFreeDoc(input) }
        guard let root = xmlDocCopyNode(element, input, 1) else { throw Self.failure("out of memory") }
        xmlDocSetRootElement(input, root)
        // Namespaces declared above the element stay in scope in the copy.
        xmlReconciliateNs(input, root)
        guard let context = xsltNewTransformContext(stylesheet, input) else { throw Self.failure("out of memory") }
        defer { xsltFreeTransformContext(context) }
        let messages = Self.newMessages()
        defer { messages.deallocate() }
        sluice_xslt_collect_transform_errors(context, messages)
        _ = xsltSetCtxtSecurityPrefs(Self.sandbox, context)
        context.pointee.opLimit = Self.operationLimit
        context.pointee.maxTemplateDepth = Self.templateDepthLimit
        if !parameters.isEmpty {
            try Self.withCStrings(parameters) { (list: UnsafeMutablePointer<UnsafePointer<CChar>?>) throws(XMLParseError) in
                guard xsltQuoteUserParams(context, list) == 0 else {
                    throw Self.failure("cannot set the stylesheet parameters: " + Self.text(of: messages))
                }
            }
        }
        let result = xsltApplyStylesheetUser(stylesheet, input, nil, nil, nil, context)
        let failed = context.pointee.state != XSLT_STATE_OK
        guard let result, !failed else {
            if let result { xmlFreeDoc(result) }
            let report = Self.text(of: messages)
            throw Self.failure(report.isEmpty ? "the transformation failed" : report)
        }
        guard producesText else { return .document(result) }
        defer { xmlFreeDoc(result) }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var length: Int32 = 0
        guard xsltSaveResultToString(&buffer, &length, result, stylesheet) == 0 else {
            throw Self.failure("cannot serialize the result")
        }
        guard let buffer else { return .text("") }
        defer { free(buffer) }
        return .text(String(decoding: UnsafeBufferPointer(start: buffer, count: Int(length)), as: UTF8.self))
    }

    // MARK: - Sandbox

    /// The security preferences of every compilation and transformation; installing them also replaces the
    /// document loader, once per process.
    private static var sandbox: xsltSecurityPrefsPtr { sandboxPrefs.prefs }

    private struct SecurityPrefs: @unchecked Sendable {
        // Written once, then only read by libxslt.
        let prefs: xsltSecurityPrefsPtr
    }

    private static let sandboxPrefs: SecurityPrefs = {
        xmlInitParser()
        let prefs = xsltNewSecurityPrefs()!
        for option in [
            XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY,
            XSLT_SECPREF_READ_NETWORK, XSLT_SECPREF_WRITE_NETWORK,
        ] {
            _ = xsltSetSecurityPrefs(prefs, option, xsltSecurityForbid)
        }
        xsltSetDefaultSecurityPrefs(prefs)
        // `xsl:import`, `xsl:include` and `document()` load through this: nothing is loaded.
        xsltSetLoaderFunc { _, _, _, _, _ in nil }
        sluice_xslt_collect_generic_errors(nil)
        return SecurityPrefs(prefs: prefs)
    }()

    private static let compileLock = CompileLock()

    // MARK: - Helpers

    private static func newMessages() -> UnsafeMutablePointer<sluice_xslt_messages> {
        let messages = UnsafeMutablePointer<sluice_xslt_messages>.allocate(capacity: 1)
        messages.initialize(to: sluice_xslt_messages())
        return messages
    }

    private static func failure(_ message: String) -> XMLParseError {
        XMLParseError(message: message, line: 1, column: 1)
    }

    /// The collected messages as one line each, joined with "; ".
    private static func text(of messages: UnsafeMutablePointer<sluice_xslt_messages>) -> String {
        let length = messages.pointee.length
        let raw = withUnsafeBytes(of: &messages.pointee.text) { bytes in
            String(decoding: bytes.prefix(length), as: UTF8.self)
        }
        return raw.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: " \t") }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// The first "line N" libxslt's compile messages name.
    private static func firstLine(in report: String) -> Int? {
        guard let range = report.firstRange(of: "line ") else { return nil }
        return Int(report[range.upperBound...].prefix(while: \.isNumber))
    }

    /// Calls `body` with `name, value, name, value, ..., NULL` as C strings.
    private static func withCStrings(
        _ pairs: [(String, String)],
        _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) throws(XMLParseError) -> Void
    ) throws(XMLParseError) {
        var strings: [UnsafeMutablePointer<CChar>] = []
        for (name, value) in pairs {
            strings.append(strdup(name))
            strings.append(strdup(value))
        }
        defer { strings.forEach { free($0) } }
        var list: [UnsafePointer<CChar>?] = []
        for string in strings { list.append(UnsafePointer(string)) }
        list.append(nil)
        try list.withUnsafeMutableBufferPointer { (buffer) throws(XMLParseError) in try body(buffer.baseAddress!) }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }
}

/// A plain mutex around the process-wide libxslt error handler (held only while a stylesheet compiles).
private final class CompileLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}
