internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// The value of an XPath expression.
enum XPathResult: Sendable, Hashable {
    case string(String)
    case number(Double)
    case boolean(Bool)
    /// A node set: each node's string value and its serialized markup.
    case nodes([XPathNode])

    /// The result as text, as Synapse's `SynapseXPath.stringValueOf` gives it: for a node set, a text or
    /// attribute node gives its value, an element its own text (trimmed) when it is the only node selected and has
    /// text of its own, else its markup; the nodes' texts are joined.
    var stringValue: String {
        switch self {
        case .string(let text): text
        case .number(let number):
            number.isNaN ? "NaN" : JSONValue.format(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .nodes(let nodes):
            nodes.map { node in
                switch node.kind {
                case .text, .attribute, .other:
                    return node.text
                case .document:
                    return node.markup
                case .element:
                    let ownText = node.directText.replacing("\u{A0}", with: " ").trimmingWhitespace()
                    return nodes.count == 1 && !ownText.isEmpty ? ownText : node.markup
                }
            }.joined()
        }
    }

    /// XPath's `boolean()` of the result.
    var booleanValue: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .number(let number): number != 0 && !number.isNaN
        case .boolean(let flag): flag
        case .nodes(let nodes): !nodes.isEmpty
        }
    }

    /// Markup for insertion into XML: node sets serialized, other values escaped text.
    var markup: String {
        if case .nodes(let nodes) = self { return nodes.map(\.markup).joined() }
        return XMLEscaping.escape(stringValue)
    }
}

/// One selected node.
struct XPathNode: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case element
        case attribute
        case text
        case document
        /// Comments, processing instructions, namespaces.
        case other
    }

    var kind: Kind
    /// XPath's string value: all descendant text.
    var text: String
    /// An element's own text children, joined (Axiom's `getText()`); "" for other nodes.
    var directText: String
    var markup: String

    init(kind: Kind = .element, text: String, directText: String = "", markup: String) {
        self.kind = kind
        self.text = text
        self.directText = directText
        self.markup = markup
    }
}

/// Evaluates Synapse XPath expressions with libxml2.
///
/// The message is seen as Synapse sees it: a SOAP envelope as is, any other XML payload wrapped in a SOAP 1.1
/// envelope's body (so `$body/order` and `//order` both work). The variables `$ctx:`, `$trp:`, `$axis2:`,
/// `$url:`, `$func:` (template parameters), `$operation:`, `$sys:` (Java system properties in Synapse: always
/// empty here), `$body`, `$header` and `$env` (the envelope), the function
/// `get-property(['scope',] 'name')` and `XPathFunctions` (Synapse's extensions, `fn:`) are bound.
///
/// Thread safety: libxml2 parser and XPath contexts are per call, so evaluation is safe on any thread. Compiled
/// expressions (`xmlXPathCompExpr`) are not documented as shareable across threads, so deploy time only checks
/// the syntax and each evaluation compiles the text again.
enum XPathEngine {
    static let soap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/"
    static let soap12Namespace = "http://www.w3.org/2003/05/soap-envelope"
    private static let variableNamespaces: [String: String] = [
        "ctx": "urn:sluice:xpath:ctx",
        "trp": "urn:sluice:xpath:trp",
        "axis2": "urn:sluice:xpath:axis2",
        "url": "urn:sluice:xpath:url",
        "func": "urn:sluice:xpath:func",
        "operation": "urn:sluice:xpath:operation",
        "sys": "urn:sluice:xpath:sys",
    ]

    // XPath needs libxml2 initialised even when no document was parsed yet.
    static let initialize: Void = { xmlInitParser() }()

    /// Checks the syntax of an expression.
    /// - Returns: Nil when it compiles, otherwise the reason.
    static func syntaxError(in expression: String) -> String? {
        _ = initialize
        guard let context = xmlXPathNewContext(nil) else { return "out of memory" }
        defer { xmlXPathFreeContext(context) }
        context.pointee.error = ignoreStructuredError
        let compiled = expression.withXMLChars { xmlXPathCtxtCompile(context, $0) }
        guard let compiled else { return "not a valid XPath 1.0 expression" }
        xmlXPathFreeCompExpr(compiled)
        return nil
    }

    /// True when an expression can look at the payload (so the gateway must read the body first): it has a
    /// path step, `$body`, `$header`, or a bare name test, outside string literals and Synapse variables.
    static func touchesPayload(_ expression: String) -> Bool {
        var characters = Array(expression)[...]
        var previousWasVariableStart = false
        while let character = characters.first {
            if character == "'" || character == "\"" {
                characters = characters.dropFirst()
                characters = characters.drop(while: { $0 != character }).dropFirst()
                continue
            }
            if character == "$" {
                characters = characters.dropFirst()
                let name = characters.prefix(while: { $0.isLetter || $0.isNumber || "_-.:".contains($0) })
                characters = characters.dropFirst(name.count)
                if ["body", "header", "env"].contains(where: { name.elementsEqual($0) }) { return true }
                previousWasVariableStart = true
                continue
            }
            if "/@.*".contains(character) { return true }
            if character.isLetter || character == "_" {
                let name = characters.prefix(while: { $0.isLetter || $0.isNumber || "_-.:".contains($0) })
                characters = characters.dropFirst(name.count)
                let rest = characters.drop(while: { $0 == " " })
                let isFunction = rest.first == "("
                let isOperator = ["and", "or", "div", "mod"].contains(String(name))
                if !isFunction && !isOperator && !previousWasVariableStart { return true }
                continue
            }
            previousWasVariableStart = false
            characters = characters.dropFirst()
        }
        return false
    }

    /// Evaluates an expression against the message.
    /// - Parameters:
    ///   - expression: XPath 1.0 text.
    ///   - namespaces: Prefixes declared where the expression was written.
    ///   - payload: The XML body text, or nil when the message has no XML body (an empty SOAP body is used).
    ///   - context: The message context for variables and `get-property`.
    ///   - needsDocument: False when the expression cannot touch the payload (`touchesPayload` is false).
    /// - Throws: `MediationFault` when the payload is not well-formed XML or the expression fails.
    static func evaluate(
        _ expression: String,
        namespaces: [String: String],
        payload: String?,
        context: MessageContext,
        needsDocument: Bool = true
    ) throws(MediationFault) -> XPathResult {
        try withResult(
            of: expression,
            namespaces: namespaces,
            payload: payload,
            context: context,
            needsDocument: needsDocument
        ) { result, document, _ in convert(result, document: document) }
    }

    /// Evaluates an expression and hands the raw result, the document and whether the payload was wrapped in
    /// an envelope to `body`, while the document is alive.
    static func withResult<Result>(
        of expression: String,
        namespaces: [String: String],
        payload: String?,
        context: MessageContext,
        needsDocument: Bool,
        _ body: (xmlXPathObjectPtr, xmlDocPtr?, Bool) throws(MediationFault) -> Result
    ) throws(MediationFault) -> Result {
        _ = initialize
        // Expressions over properties only (concat(get-property(...), ...)) need no document at all.
        let parsed = needsDocument ? try parseEnvelope(payload) : nil
        let document = parsed?.document
        defer { if let document { xmlFreeDoc(document) } }
        guard let xpath = xmlXPathNewContext(document) else {
            throw MediationFault.mediatorFailed("xpath", "out of memory")
        }
        defer { xmlXPathFreeContext(xpath) }

        let bindings = XPathBindings(context: context)
        if let document, let envelope = xmlDocGetRootElement(document) {
            bindings.envelope = envelope
            bindings.header = firstChild(of: envelope, named: "Header")
            bindings.body = firstChild(of: envelope, named: "Body")
            // Synapse evaluates an XPath with the envelope as its context node, so a relative path starts there
            // (`s11:Body/child::*[1]`, the EIP library's default source).
            xpath.pointee.node = envelope
        }
        bindings.envelopeNamespace = parsed?.isSOAP12 == true ? soap12Namespace : soap11Namespace
        return try withExtendedLifetime(bindings) { () throws(MediationFault) -> Result in
            prepare(xpath, namespaces: namespaces, bindings: bindings)
            guard let result = expression.withXMLChars({ xmlXPathEvalExpression($0, xpath) }) else {
                throw MediationFault.mediatorFailed("xpath", "cannot evaluate '\(expression)'")
            }
            defer { xmlXPathFreeObject(result) }
            return try body(result, document, parsed?.isWrapped ?? false)
        }
    }

    /// Declares the namespaces and binds Synapse's variables and functions in an XPath context.
    fileprivate static func prepare(_ xpath: xmlXPathContextPtr, namespaces: [String: String], bindings: XPathBindings) {
        var allNamespaces = variableNamespaces
        allNamespaces["fn"] = XPathFunctions.xpath2Namespace
        allNamespaces["soapenv"] = bindings.envelopeNamespace
        allNamespaces["soap"] = bindings.envelopeNamespace
        for (prefix, uri) in namespaces { allNamespaces[prefix] = uri }
        for (prefix, uri) in allNamespaces {
            prefix.withXMLChars { prefixChars in
                uri.withXMLChars { uriChars in _ = xmlXPathRegisterNs(xpath, prefixChars, uriChars) }
            }
        }
        let opaque = Unmanaged.passUnretained(bindings).toOpaque()
        xpath.pointee.userData = opaque
        xpath.pointee.error = ignoreStructuredError
        _ = "get-property".withXMLChars { xmlXPathRegisterFunc(xpath, $0, getPropertyFunction) }
        XPathFunctions.register(in: xpath)
        xmlXPathRegisterVariableLookup(xpath, variableLookup, opaque)
    }

    /// What `$func:name` selects when the template parameter is a `{{path}}`: the path evaluated over the same
    /// envelope (its context node, as Synapse's variable context evaluates it), or nil when there is no envelope.
    /// Paths naming paths nest at most a few levels, so a path that names itself ends.
    fileprivate static func selectPath(_ path: String, namespaces: [String: String], bindings: XPathBindings) -> xmlXPathObjectPtr? {
        guard let envelope = bindings.envelope, bindings.pathDepth < 8, let xpath = xmlXPathNewContext(envelope.pointee.doc) else {
            return nil
        }
        defer { xmlXPathFreeContext(xpath) }
        bindings.pathDepth += 1
        defer { bindings.pathDepth -= 1 }
        prepare(xpath, namespaces: namespaces, bindings: bindings)
        xpath.pointee.node = envelope
        return path.withXMLChars { xmlXPathEvalExpression($0, xpath) }
    }

    /// True when `text` is one well-formed XML document (no DOCTYPE).
    static func isWellFormed(_ text: String) -> Bool {
        _ = initialize
        guard let document = try? parseXML(text) else { return false }
        xmlFreeDoc(document)
        return true
    }

    // MARK: - Documents

    private static func parseEnvelope(
        _ payload: String?
    ) throws(MediationFault) -> (document: xmlDocPtr, isSOAP12: Bool, isWrapped: Bool) {
        var text = payload?.trimmingWhitespace() ?? ""
        if text.hasPrefix("<?xml"), let end = text.firstRange(of: "?>") {
            text = String(text[end.upperBound...])
        }
        // A payload that does not parse is a message Synapse cannot build: 601000, not a mediator's failure.
        let parsed: xmlDocPtr?
        do throws(MediationFault) {
            parsed = try parseXML(text)
        } catch {
            throw MediationFault.messageParsingError(error.detail ?? error.message)
        }
        if let document = parsed, let root = xmlDocGetRootElement(document) {
            let name = String(cString: root.pointee.name)
            let namespace = root.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
            if name == "Envelope", namespace == soap11Namespace || namespace == soap12Namespace {
                return (document, namespace == soap12Namespace, false)
            }
            xmlFreeDoc(document)
        }
        let wrapped =
            "<soapenv:Envelope xmlns:soapenv=\"\(soap11Namespace)\"><soapenv:Body>"
            + text + "</soapenv:Body></soapenv:Envelope>"
        guard let document = try parseXML(wrapped) else {
            throw MediationFault.mediatorFailed("xpath", "the payload is not well-formed XML")
        }
        return (document, false, true)
    }

    /// Parses a payload through the one hardened parser (no DOCTYPE, no entities, no network, size and depth
    /// limits). Nil for empty text.
    static func parseXML(_ text: String) throws(MediationFault) -> xmlDocPtr? {
        guard !text.isEmpty else { return nil }
        do {
            return try HardenedXMLParser.parse(text).document
        } catch {
            throw MediationFault.mediatorFailed("xpath", "the payload is not well-formed XML (\(error.message))")
        }
    }

    static func firstChild(of element: xmlNodePtr, named name: String) -> xmlNodePtr? {
        var child = element.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE, String(cString: node.pointee.name) == name { return node }
            child = node.pointee.next
        }
        return nil
    }

    // MARK: - Results

    private static func convert(_ object: xmlXPathObjectPtr, document: xmlDocPtr?) -> XPathResult {
        switch object.pointee.type {
        case XPATH_BOOLEAN:
            return .boolean(object.pointee.boolval != 0)
        case XPATH_NUMBER:
            return .number(object.pointee.floatval)
        case XPATH_STRING:
            return .string(object.pointee.stringval.map { String(cString: $0) } ?? "")
        case XPATH_NODESET:
            var nodes: [XPathNode] = []
            if let set = object.pointee.nodesetval, let table = set.pointee.nodeTab {
                for index in 0..<Int(set.pointee.nodeNr) {
                    guard let node = table[index] else { continue }
                    nodes.append(selectedNode(node, document: document))
                }
            }
            return .nodes(nodes)
        default:
            return .string("")
        }
    }

    private static func selectedNode(_ node: xmlNodePtr, document: xmlDocPtr?) -> XPathNode {
        switch node.pointee.type {
        case XML_ELEMENT_NODE:
            var own = ""
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE {
                    own += current.pointee.content.map { String(cString: $0) } ?? ""
                }
                child = current.pointee.next
            }
            return XPathNode(
                kind: .element, text: stringValue(of: node), directText: own, markup: markup(of: node, document: document)
            )
        case XML_ATTRIBUTE_NODE:
            return XPathNode(kind: .attribute, text: stringValue(of: node), markup: markup(of: node, document: document))
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            return XPathNode(kind: .text, text: stringValue(of: node), markup: markup(of: node, document: document))
        case XML_DOCUMENT_NODE:
            let root = document.flatMap { xmlDocGetRootElement($0) }
            return XPathNode(
                kind: .document, text: stringValue(of: node),
                markup: root.map { markup(of: $0, document: document) } ?? ""
            )
        default:
            return XPathNode(kind: .other, text: stringValue(of: node), markup: markup(of: node, document: document))
        }
    }

    /// XPath string value: the text of all descendant text nodes.
    static func stringValue(of node: xmlNodePtr) -> String {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE, XML_COMMENT_NODE, XML_PI_NODE:
            return node.pointee.content.map { String(cString: $0) } ?? ""
        default:
            var text = ""
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type != XML_COMMENT_NODE && current.pointee.type != XML_PI_NODE {
                    text += stringValue(of: current)
                }
                child = current.pointee.next
            }
            return text
        }
    }

    static func markup(of node: xmlNodePtr, document: xmlDocPtr?) -> String {
        switch node.pointee.type {
        case XML_ELEMENT_NODE:
            guard let buffer = xmlBufferCreate() else { return "" }
            defer { xmlBufferFree(buffer) }
            xmlNodeDump(buffer, document, node, 0, 0)
            return xmlBufferContent(buffer).map { String(cString: $0) } ?? ""
        default:
            return XMLEscaping.escape(stringValue(of: node))
        }
    }
}

/// What the XPath callbacks need, reachable from libxml2's `userData` pointer during one evaluation.
private final class XPathBindings {
    let context: MessageContext
    var envelope: xmlNodePtr?
    var body: xmlNodePtr?
    var header: xmlNodePtr?
    var envelopeNamespace = XPathEngine.soap11Namespace
    /// How many `{{path}}` template parameters are being evaluated inside each other.
    var pathDepth = 0

    init(context: MessageContext) {
        self.context = context
    }
}

extension XPathEngine {
    /// The message an evaluation runs over, from the `userData` of its XPath context.
    static func messageContext(from userData: UnsafeMutableRawPointer) -> MessageContext {
        Unmanaged<XPathBindings>.fromOpaque(userData).takeUnretainedValue().context
    }
}

private let ignoreStructuredError: xmlStructuredErrorFunc = { _, _ in }

private let getPropertyFunction: xmlXPathFunction = { parser, argumentCount in
    guard let parser, let opaque = parser.pointee.context.pointee.userData else { return }
    let bindings = Unmanaged<XPathBindings>.fromOpaque(opaque).takeUnretainedValue()
    let arguments = XPathFunctions.stringArguments(parser, count: argumentCount) ?? []
    let value: PropertyValue?
    switch arguments.count {
    case 1:
        value = bindings.context.lookupProperty(scope: .default, name: arguments[0])
    case 2:
        if let scope = PropertyScope(rawValue: arguments[0].lowercased()) {
            value = bindings.context.lookupProperty(scope: scope, name: arguments[1])
        } else if arguments[0] == "SYSTEM_DATE" {
            value = .string(bindings.context.clock.formatted(arguments[1]))
        } else {
            // get-property('NAME', 'format') for other names: the format argument has no meaning.
            value = bindings.context.lookupProperty(scope: .default, name: arguments[0])
        }
    default:
        value = nil
    }
    XPathFunctions.push(value?.stringValue ?? "", on: parser)
}

private let variableLookup: xmlXPathVariableLookupFunc = { opaque, name, namespaceURI in
    guard let opaque, let name else { return nil }
    let bindings = Unmanaged<XPathBindings>.fromOpaque(opaque).takeUnretainedValue()
    let localName = String(cString: name)
    let namespace = namespaceURI.map { String(cString: $0) }
    let value: PropertyValue?
    switch namespace {
    case nil:
        switch localName {
        case "body": return xmlXPathNewNodeSet(bindings.body)
        case "header": return xmlXPathNewNodeSet(bindings.header)
        case "env": return xmlXPathNewNodeSet(bindings.envelope)
        default: return nil
        }
    case "urn:sluice:xpath:ctx"?: value = bindings.context.lookupProperty(scope: .default, name: localName)
    case "urn:sluice:xpath:trp"?: value = bindings.context.lookupProperty(scope: .transport, name: localName)
    case "urn:sluice:xpath:axis2"?: value = bindings.context.lookupProperty(scope: .axis2, name: localName)
    case "urn:sluice:xpath:url"?: value = bindings.context.queryParameter(localName).map(PropertyValue.string)
    case "urn:sluice:xpath:func"?:
        if let path = bindings.context.templatePath(named: localName)?.xpathText {
            return XPathEngine.selectPath(path.text, namespaces: path.namespaces, bindings: bindings) ?? xmlXPathNewNodeSet(nil)
        }
        value = bindings.context.lookupProperty(scope: .function, name: localName)
    case "urn:sluice:xpath:operation"?: value = bindings.context.lookupProperty(scope: .operation, name: localName)
    case "urn:sluice:xpath:sys"?: value = bindings.context.lookupProperty(scope: .system, name: localName)
    default: return nil
    }
    return (value?.stringValue ?? "").withXMLChars { xmlXPathNewString($0) }
}

extension String {
    /// Calls `body` with the string as a NUL-terminated `xmlChar` pointer.
    fileprivate func withXMLChars<Result>(_ body: (UnsafePointer<xmlChar>) throws -> Result) rethrows -> Result {
        try withCString { chars in
            try chars.withMemoryRebound(to: xmlChar.self, capacity: utf8.count + 1) { try body($0) }
        }
    }
}
