internal import CLibXML2

extension XPathEngine {
    /// What `enrich` puts at an XML target.
    enum EnrichContent {
        /// Well-formed XML (one or more elements).
        case markup(String)
        case text(String)
    }

    /// How `enrich` places its content at the target node.
    enum EnrichPlacement {
        case replace
        case child
        case sibling
    }

    /// Applies `enrich` with an XPath target to an XML payload and returns the new payload.
    ///
    /// The first node the XPath selects is the target. `replace` swaps an element for the content (or sets the
    /// text of an attribute or text node), `child` appends the content to the element, `sibling` inserts it right
    /// after the element. A payload that was not a SOAP envelope comes back without the envelope Sluice wraps
    /// around it for XPath.
    /// - Throws: `MediationFault` when the payload or content is not well-formed or the XPath selects nothing.
    static func enrich(
        payload: String,
        target: String,
        namespaces: [String: String],
        content: EnrichContent,
        placement: EnrichPlacement,
        context: MessageContext
    ) throws(MediationFault) -> String {
        try withResult(of: target, namespaces: namespaces, payload: payload, context: context, needsDocument: true) {
            result,
            document,
            isWrapped throws(MediationFault) -> String in
            guard let document, result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval,
                set.pointee.nodeNr > 0, let node = set.pointee.nodeTab[0]
            else {
                throw MediationFault.mediatorFailed("enrich", "the target '\(target)' selects nothing")
            }
            let nodes = try makeNodes(content, in: document)
            try place(nodes, at: node, placement: placement, content: content)
            return serialize(document, unwrap: isWrapped)
        }
    }

    static func makeNodes(
        _ content: EnrichContent,
        in document: xmlDocPtr
    ) throws(MediationFault) -> [xmlNodePtr] {
        switch content {
        case .text(let text):
            guard
                let node = text.withCString({
                    xmlNewDocText(document, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self))
                })
            else { throw MediationFault.mediatorFailed("enrich", "out of memory") }
            return [node]
        case .markup(let markup):
            guard let fragment = try parseXML("<sluice-fragment>" + markup + "</sluice-fragment>"),
                let wrapper = xmlDocGetRootElement(fragment)
            else { throw MediationFault.mediatorFailed("enrich", "the source is not well-formed XML") }
            defer { xmlFreeDoc(fragment) }
            var nodes: [xmlNodePtr] = []
            var child = wrapper.pointee.children
            while let current = child {
                if let copy = xmlDocCopyNode(current, document, 1) { nodes.append(copy) }
                child = current.pointee.next
            }
            return nodes
        }
    }

    static func place(
        _ nodes: [xmlNodePtr],
        at target: xmlNodePtr,
        placement: EnrichPlacement,
        content: EnrichContent
    ) throws(MediationFault) {
        let isElement = target.pointee.type == XML_ELEMENT_NODE
        switch placement {
        case .replace where !isElement:
            // Attributes and text nodes take the content's text.
            let text: String
            switch content {
            case .text(let value): text = value
            case .markup: text = nodes.map { stringValue(of: $0) }.joined()
            }
            for node in nodes { xmlFreeNode(node) }
            text.withCString { xmlNodeSetContent(target, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
        case .replace:
            for node in nodes { xmlAddPrevSibling(target, node) }
            xmlUnlinkNode(target)
            xmlFreeNode(target)
        case .child:
            guard isElement else {
                for node in nodes { xmlFreeNode(node) }
                throw MediationFault.mediatorFailed("enrich", "child action needs an element target")
            }
            for node in nodes { xmlAddChild(target, node) }
        case .sibling:
            var anchor = target
            for node in nodes {
                if let added = xmlAddNextSibling(anchor, node) { anchor = added }
            }
        }
    }

    static func serialize(_ document: xmlDocPtr, unwrap: Bool) -> String {
        guard let root = xmlDocGetRootElement(document) else { return "" }
        guard unwrap, let body = firstChild(of: root, named: "Body") else {
            return markup(of: root, document: document)
        }
        var output = ""
        var child = body.pointee.children
        while let current = child {
            output +=
                current.pointee.type == XML_ELEMENT_NODE
                ? markup(of: current, document: document) : stringValue(of: current)
            child = current.pointee.next
        }
        return output
    }
}
