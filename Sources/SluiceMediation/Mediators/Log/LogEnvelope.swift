internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// The message as the `log` mediator shows it: Synapse logs its SOAP envelope (`full`) and header blocks
/// (`headers`); a REST payload sits in a SOAP 1.1 envelope's body, as Synapse builds it.
enum LogEnvelope {
    /// The envelope's markup: a SOAP message as it is, any other payload (XML, JSON as Synapse's XML, text in
    /// Synapse's text wrapper) inside a SOAP 1.1 body, no payload as an empty body.
    /// - Throws: `MediationFault` (601000) when the body is not the JSON or XML its `Content-Type` says.
    static func text(of context: inout MessageContext) throws(MediationFault) -> String {
        if let envelope = try soapEnvelope(of: &context) { return envelope }
        let payload = try context.xmlPayloadForFormat()
        let open = "<soapenv:Envelope xmlns:soapenv=\"\(SOAPVersion.soap11.envelopeNamespace)\">"
        if payload.isEmpty { return open + "<soapenv:Body/></soapenv:Envelope>" }
        if payload.hasPrefix("<") { try checkWellFormed(payload) }
        return open + "<soapenv:Body>" + payload + "</soapenv:Body></soapenv:Envelope>"
    }

    /// The header blocks of a SOAP message's envelope (local name and text); none for a REST message, which has
    /// no envelope on the wire.
    /// - Throws: `MediationFault` (601000) when the SOAP message is not well-formed.
    static func headerBlocks(of context: inout MessageContext) throws(MediationFault) -> [(name: String, text: String)] {
        guard let envelope = try soapEnvelope(of: &context) else { return [] }
        let document = try parse(envelope)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), let header = XPathEngine.firstChild(of: root, named: "Header")
        else { return [] }
        var blocks: [(name: String, text: String)] = []
        var child = header.pointee.children
        while let current = child {
            child = current.pointee.next
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            blocks.append((String(cString: current.pointee.name), XPathEngine.stringValue(of: current)))
        }
        return blocks
    }

    /// The body when it is a SOAP envelope (without an XML declaration), else nil.
    private static func soapEnvelope(of context: inout MessageContext) throws(MediationFault) -> String? {
        let text = MessageContext.withoutDeclaration(try context.bodyText(for: "log").trimmingWhitespace())
        guard text.hasPrefix("<"), text.contains("Envelope") else { return nil }
        let document = try parse(text)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), String(cString: root.pointee.name) == "Envelope",
            let namespace = root.pointee.ns?.pointee.href.map({ String(cString: $0) }),
            namespace == SOAPVersion.soap11.envelopeNamespace || namespace == SOAPVersion.soap12.envelopeNamespace
        else { return nil }
        return text
    }

    private static func checkWellFormed(_ text: String) throws(MediationFault) {
        xmlFreeDoc(try parse(text))
    }

    /// Parses through the hardened parser; a body that does not parse is one Synapse cannot build (601000).
    private static func parse(_ text: String) throws(MediationFault) -> xmlDocPtr {
        do {
            return try HardenedXMLParser.parse(text).document
        } catch {
            throw MediationFault.messageParsingError("the message is not well-formed XML: \(error.message)")
        }
    }
}
