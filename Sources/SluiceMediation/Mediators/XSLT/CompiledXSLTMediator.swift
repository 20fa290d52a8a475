internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// `<xslt>` ready to run: the stylesheet is compiled once per deployment (libxslt, sandboxed: see
/// `XSLTStylesheet`); each message's source element is transformed and replaced by the result, as Synapse's
/// XSLTMediator does.
///
/// - The default source is the payload's root (the first child of the SOAP body); a message with an empty body is
///   left alone, as Synapse skips an empty SOAP body. A `source` that selects no element is a fault.
/// - Selecting the SOAP envelope replaces the whole message; selecting the SOAP body replaces its children with the
///   result's.
/// - `<xsl:output method="text"/>` gives Synapse's `<ax:text xmlns:ax="http://ws.apache.org/commons/ns/payload">`
///   wrapper, which a `text/plain` message type writes as plain text.
/// - A JSON message is transformed as Synapse's XML for it (`<jsonObject>`); the result is XML and is written as
///   JSON again on the way out, as Synapse's JSON formatter does (the message type stays JSON).
/// - `target` puts the result in a default-scope property (XML) and leaves the message alone.
/// - `<feature>` and `<attribute>` configure Java's TransformerFactory and have no effect here (Sluice always
///   transforms with the sandbox on, which is what the secure-processing feature asks for); `<resource>` is
///   refused at deploy time.
/// - A key written `{expression}` names the local entry per message, as Synapse's dynamic key; the deployment's
///   stylesheet entries are compiled once with it (`LocalEntryTable.stylesheets`). A key that names no stylesheet
///   is a mediation fault.
struct CompiledXSLTMediator: CompiledMediator {
    let key: String
    let stylesheet: Stylesheet
    /// nil for the default source.
    let source: String?
    let namespaces: [String: String]
    let target: String?
    let parameters: [(name: String, value: CompiledValue)]

    static let textWrapperNamespace = "http://ws.apache.org/commons/ns/payload"

    init(_ node: XSLTMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        if let resource = node.resources.first {
            throw compilation.error(
                .unsupported(
                    "<xslt> <resource location=\"\(resource.location)\">: stylesheets load no other documents "
                        + "(no xsl:import or xsl:include); put the templates in one stylesheet"
                )
            )
        }
        key = node.key
        if let expressionText = DynamicKey.expressionText(node.key) {
            let expression: SynapseExpression
            do {
                expression = try SynapseExpression(parsing: expressionText)
            } catch {
                throw compilation.error(.invalidExpression(expressionText, reason: error.reason))
            }
            stylesheet = .dynamic(try compilation.expression(expression))
        } else {
            stylesheet = .fixed(try compilation.stylesheet(forKey: node.key))
        }
        switch node.source?.kind {
        case nil, .body?:
            source = nil
            namespaces = [:]
        case .xpath(let text)?:
            if let reason = XPathEngine.syntaxError(in: text) {
                throw compilation.error(.invalidExpression(text, reason: reason))
            }
            source = text
            namespaces = node.source?.namespaces ?? [:]
        default:
            throw compilation.error(.unsupported("<xslt> source '\(node.source?.source ?? "")'; use an XPath"))
        }
        target = node.target
        var parameters: [(name: String, value: CompiledValue)] = []
        for parameter in node.parameters {
            parameters.append((parameter.name, try compilation.value(parameter.value)))
        }
        self.parameters = parameters
    }

    /// The stylesheet of a static key, or the expression naming the local entry per message.
    enum Stylesheet: Sendable {
        case fixed(XSLTStylesheet)
        case dynamic(CompiledExpression)
    }

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let stylesheet = try resolvedStylesheet(&context)
        guard let payload = try context.xmlPayload(for: "xslt") else {
            // Synapse skips an empty SOAP body when no source is given.
            if source == nil { return .proceed }
            throw failure("the source '\(source ?? "")' selects no element: the message has no payload")
        }
        var values: [(String, String)] = []
        for parameter in parameters {
            // Synapse does not set a parameter whose expression gives nothing.
            if let value = try parameter.value.string(&context) { values.append((parameter.name, value)) }
        }
        let expression = source ?? CompiledValidateMediator.defaultSource
        let outcome = try XPathEngine.withResult(
            of: expression,
            namespaces: namespaces,
            payload: payload,
            context: context,
            needsDocument: true
        ) { result, document, isWrapped throws(MediationFault) -> Outcome in
            guard let document, result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval,
                set.pointee.nodeNr > 0, let node = set.pointee.nodeTab[0], node.pointee.type == XML_ELEMENT_NODE
            else {
                throw failure("the source '\(expression)' selects no element of the message")
            }
            let output: XSLTStylesheet.Output
            do throws(XMLParseError) {
                output = try stylesheet.transform(node, parameters: values)
            } catch {
                throw failure(error.message)
            }
            let nodes = try resultNodes(output, in: document)
            if target != nil {
                for node in nodes { Self.dropEmptyDefaultNamespace(of: node, placedUnder: nil) }
                let markup = nodes.map { XPathEngine.markup(of: $0, document: document) }.joined()
                nodes.forEach { xmlFreeNode($0) }
                return .property(markup)
            }
            return .payload(try Self.replace(node, with: nodes, in: document, unwrap: isWrapped))
        }
        switch outcome {
        case .property(let markup):
            if let target { context[property: target] = .xml(markup) }
        case .payload(let newPayload):
            context.replaceXMLPayload(with: newPayload)
        }
        return .proceed
    }

    /// The stylesheet for this message: a dynamic key is evaluated and names a local entry (a `conf:`/`gov:`
    /// registry key included) holding a stylesheet.
    private func resolvedStylesheet(_ context: inout MessageContext) throws(MediationFault) -> XSLTStylesheet {
        switch stylesheet {
        case .fixed(let stylesheet):
            return stylesheet
        case .dynamic(let expression):
            let name = try expression.string(&context)?.trimmingWhitespace() ?? ""
            switch context.localEntries?.stylesheets[name] {
            case .success(let stylesheet)?:
                return stylesheet
            case .failure(let error)?:
                throw failure("the local entry '\(name)' is not a stylesheet libxslt compiles: line \(error.line): \(error.message)")
            case nil:
                let what = context.localEntries?.content(forKey: name) == nil ? "no local entry" : "no XSLT stylesheet"
                throw failure("the key \(key) gave '\(name)', which names \(what)")
            }
        }
    }

    private enum Outcome {
        case property(String)
        case payload(String)
    }

    /// The result as nodes of `document`: a result document's top-level elements, or text in Synapse's wrapper.
    private func resultNodes(_ output: XSLTStylesheet.Output, in document: xmlDocPtr) throws(MediationFault) -> [xmlNodePtr] {
        switch output {
        case .text(let text):
            let markup =
                "<ax:text xmlns:ax=\"\(Self.textWrapperNamespace)\">" + XMLEscaping.escape(text) + "</ax:text>"
            return try XPathEngine.makeNodes(.markup(markup), in: document)
        case .document(let result):
            defer { xmlFreeDoc(result) }
            var nodes: [xmlNodePtr] = []
            var child = result.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE, let copy = xmlDocCopyNode(current, document, 1) {
                    nodes.append(copy)
                }
                child = current.pointee.next
            }
            guard !nodes.isEmpty else { throw failure("the stylesheet produced no element") }
            return nodes
        }
    }

    /// Puts `nodes` where `source` was and serializes the payload.
    private static func replace(
        _ source: xmlNodePtr,
        with nodes: [xmlNodePtr],
        in document: xmlDocPtr,
        unwrap: Bool
    ) throws(MediationFault) -> String {
        for node in nodes { dropEmptyDefaultNamespace(of: node, placedUnder: source.pointee.parent) }
        if source == xmlDocGetRootElement(document), let first = nodes.first {
            // The envelope itself: the result is the whole message.
            xmlDocSetRootElement(document, first).map { xmlFreeNode($0) }
            nodes.dropFirst().forEach { xmlFreeNode($0) }
            return XPathEngine.markup(of: first, document: document)
        }
        if !unwrap, source.pointee.parent == xmlDocGetRootElement(document),
            String(cString: source.pointee.name) == "Body"
        {
            // The SOAP body: its children become the result's children.
            while let child = source.pointee.children {
                xmlUnlinkNode(child)
                xmlFreeNode(child)
            }
            for node in nodes {
                var child = node.pointee.children
                while let current = child {
                    child = current.pointee.next
                    xmlUnlinkNode(current)
                    xmlAddChild(source, current)
                }
                xmlFreeNode(node)
            }
            return XPathEngine.serialize(document, unwrap: unwrap)
        }
        try XPathEngine.place(nodes, at: source, placement: .replace, content: .markup(""))
        return XPathEngine.serialize(document, unwrap: unwrap)
    }

    /// A stylesheet written with `xmlns=""` (to keep its literal result elements out of the Synapse namespace of
    /// the local entry around it) gives results that undeclare the default namespace; where no default namespace is
    /// in scope, that declaration is noise in the message.
    private static func dropEmptyDefaultNamespace(of node: xmlNodePtr, placedUnder parent: xmlNodePtr?) {
        guard node.pointee.type == XML_ELEMENT_NODE else { return }
        if let parent, parent.pointee.type == XML_ELEMENT_NODE, let inScope = xmlSearchNs(parent.pointee.doc, parent, nil),
            let href = inScope.pointee.href, href.pointee != 0
        {
            return
        }
        var previous: xmlNsPtr?
        var current = node.pointee.nsDef
        while let declaration = current {
            current = declaration.pointee.next
            let isEmptyDefault = declaration.pointee.prefix == nil && (declaration.pointee.href.map { $0.pointee == 0 } ?? true)
            guard isEmptyDefault else {
                previous = declaration
                continue
            }
            if let previous { previous.pointee.next = current } else { node.pointee.nsDef = current }
            declaration.pointee.next = nil
            // Elements bound to the empty default namespace are in no namespace: the same without it.
            unbind(declaration, in: node)
            xmlFreeNs(declaration)
        }
    }

    private static func unbind(_ declaration: xmlNsPtr, in node: xmlNodePtr) {
        if node.pointee.ns == declaration { node.pointee.ns = nil }
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { unbind(declaration, in: current) }
            child = current.pointee.next
        }
    }

    private func failure(_ reason: String) -> MediationFault {
        let against = source.map { " against source XPath : \($0)" } ?? ""
        return MediationFault(
            code: SynapseErrorCode.mediationFailed,
            message: "Unable to perform XSLT transformation using : \(key)\(against) reason : \(reason)",
            detail: reason
        )
    }
}
