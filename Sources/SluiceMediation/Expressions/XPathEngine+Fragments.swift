internal import CLibXML2

extension XPathEngine {
    /// The elements an XPath selects in a payload, as markup, in document order (`iterate`, `foreach`).
    /// - Throws: `MediationFault` when the payload is not well-formed or the expression fails.
    static func selectedElements(
        _ expression: String,
        namespaces: [String: String],
        payload: String,
        context: MessageContext
    ) throws(MediationFault) -> [String] {
        try withResult(of: expression, namespaces: namespaces, payload: payload, context: context, needsDocument: true) {
            result,
            document,
            _ throws(MediationFault) -> [String] in
            elementNodes(of: result).map(standaloneMarkup)
        }
    }

    /// Replaces each element an XPath selects with what `rewrite` makes of its markup (nil keeps it), in
    /// document order, and returns the new payload (`foreach`). An element inside another selected one takes the
    /// outer one's result.
    /// - Throws: `MediationFault` when the payload or a result is not well-formed, or `rewrite` throws.
    static func rewriteElements(
        _ expression: String,
        namespaces: [String: String],
        payload: String,
        context: MessageContext,
        _ rewrite: (String) throws(MediationFault) -> String?
    ) throws(MediationFault) -> String {
        try withResult(of: expression, namespaces: namespaces, payload: payload, context: context, needsDocument: true) {
            result,
            document,
            isWrapped throws(MediationFault) -> String in
            guard let document else { return payload }
            let nodes = elementNodes(of: result)
            var results: [String?] = []
            for node in nodes { results.append(try rewrite(standaloneMarkup(of: node))) }
            // Last first, so an outer element replaced later still holds its (already replaced) inner ones.
            for (node, markup) in zip(nodes, results).reversed() {
                guard let markup else { continue }
                let replacement = try makeNodes(.markup(markup), in: document)
                try place(replacement, at: node, placement: .replace, content: .markup(markup))
            }
            return serialize(document, unwrap: isWrapped)
        }
    }

    /// An element's markup with the namespaces it uses from its ancestors declared on it.
    static func standaloneMarkup(of node: xmlNodePtr) -> String {
        guard let document = xmlNewDoc(nil) else { return "" }
        defer { xmlFreeDoc(document) }
        guard let copy = xmlDocCopyNode(node, document, 1) else { return "" }
        xmlDocSetRootElement(document, copy)
        xmlReconciliateNs(document, copy)
        return markup(of: copy, document: document)
    }

    /// The element nodes of a node-set result.
    private static func elementNodes(of result: xmlXPathObjectPtr) -> [xmlNodePtr] {
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        var nodes: [xmlNodePtr] = []
        for index in 0..<Int(set.pointee.nodeNr) {
            if let node = set.pointee.nodeTab[index], node.pointee.type == XML_ELEMENT_NODE { nodes.append(node) }
        }
        return nodes
    }
}
