internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// Adds and removes header blocks of the SOAP envelope that is the current message's body.
enum SOAPHeaderBlocks {
    enum Edit {
        /// Adds `<prefix:localName xmlns:prefix=namespace>value</...>`; with `isXML` the value is parsed as its
        /// content. An existing block of that name stays (Synapse adds, it does not replace).
        case add(namespace: String, prefix: String, localName: String, value: String, isXML: Bool)
        /// Removes every block with that namespace and local name.
        case remove(namespace: String, localName: String)
        /// Adds these elements as header blocks.
        case addBlocks(String)
    }

    /// Applies an edit to the envelope. A message that is not a SOAP envelope is left alone.
    /// - Throws: `MediationFault` when the envelope or the value is not well-formed XML.
    static func apply(_ edit: Edit, to context: inout MessageContext) throws(MediationFault) {
        // Only an XML body can be an envelope; JSON and text messages have no SOAP headers to edit.
        guard let text = context.body.text, text.trimmingWhitespace().hasPrefix("<"), text.contains("Envelope") else {
            return
        }
        let parsed: HardenedXMLParser.Parsed
        do {
            parsed = try HardenedXMLParser.parse(text)
        } catch {
            throw MediationFault.mediatorFailed("header", "the SOAP envelope is not well-formed XML (\(error.message))")
        }
        let document = parsed.document
        defer { xmlFreeDoc(document) }
        guard let envelope = xmlDocGetRootElement(document), String(cString: envelope.pointee.name) == "Envelope",
            let envelopeNamespace = envelope.pointee.ns?.pointee.href.map({ String(cString: $0) }),
            envelopeNamespace == SOAPVersion.soap11.envelopeNamespace
                || envelopeNamespace == SOAPVersion.soap12.envelopeNamespace
        else { return }
        switch edit {
        case .remove(let namespace, let localName):
            guard let header = XPathEngine.firstChild(of: envelope, named: "Header") else { return }
            var child = header.pointee.children
            while let current = child {
                child = current.pointee.next
                guard current.pointee.type == XML_ELEMENT_NODE, String(cString: current.pointee.name) == localName,
                    current.pointee.ns?.pointee.href.map({ String(cString: $0) }) == namespace
                else { continue }
                xmlUnlinkNode(current)
                xmlFreeNode(current)
            }
        case .add(let namespace, let prefix, let localName, let value, let isXML):
            let header = try headerElement(of: envelope, in: document)
            let markup =
                "<" + prefix + ":" + localName + " xmlns:" + prefix + "=\"" + XMLEscaping.attribute(namespace) + "\">"
                + (isXML ? value : XMLEscaping.escape(value)) + "</" + prefix + ":" + localName + ">"
            try append(markup, to: header, in: document)
        case .addBlocks(let markup):
            let header = try headerElement(of: envelope, in: document)
            try append(markup, to: header, in: document)
        }
        let contentType = context.headers.first(name: "Content-Type") ?? "text/xml"
        context.replaceBody(with: XPathEngine.markup(of: envelope, document: document), contentType: contentType)
    }

    /// The envelope's `Header`, created before `Body` when missing.
    private static func headerElement(of envelope: xmlNodePtr, in document: xmlDocPtr) throws(MediationFault) -> xmlNodePtr {
        if let header = XPathEngine.firstChild(of: envelope, named: "Header") { return header }
        guard let header = "Header".withCString({ xmlNewDocNode(document, envelope.pointee.ns, xmlChars($0), nil) }) else {
            throw MediationFault.mediatorFailed("header", "out of memory")
        }
        if let body = XPathEngine.firstChild(of: envelope, named: "Body") {
            xmlAddPrevSibling(body, header)
        } else {
            xmlAddChild(envelope, header)
        }
        return header
    }

    /// Parses `markup` (one or more elements) and appends copies of them to `parent`.
    private static func append(_ markup: String, to parent: xmlNodePtr, in document: xmlDocPtr) throws(MediationFault) {
        let fragment: HardenedXMLParser.Parsed
        do {
            fragment = try HardenedXMLParser.parse("<sluice-fragment>" + markup + "</sluice-fragment>")
        } catch {
            throw MediationFault.mediatorFailed("header", "the header value is not well-formed XML (\(error.message))")
        }
        defer { xmlFreeDoc(fragment.document) }
        guard let wrapper = xmlDocGetRootElement(fragment.document) else { return }
        var child = wrapper.pointee.children
        while let current = child {
            if let copy = xmlDocCopyNode(current, document, 1) { xmlAddChild(parent, copy) }
            child = current.pointee.next
        }
    }

    private static func xmlChars(_ text: UnsafePointer<CChar>) -> UnsafePointer<xmlChar> {
        UnsafeRawPointer(text).assumingMemoryBound(to: xmlChar.self)
    }
}
