internal import CLibXML2
import NIOCore

extension MessageContext {
    /// The body as text for mediators that read it.
    /// - Throws: `MediationFault` when the body is still streaming (the gateway must buffer it for sequences
    ///   whose `readsBody` is true).
    func bodyText(for mediator: String) throws(MediationFault) -> String {
        guard let text = body.text else {
            throw MediationFault.mediatorFailed(mediator, "the message body was not read before mediation")
        }
        return text
    }

    /// The body parsed as JSON (cached), or nil when it is empty or not JSON.
    /// - Throws: `MediationFault.messageParsingError` (601000) when `Content-Type` says JSON and the body is not,
    ///   as Synapse's JSON builder fails.
    mutating func jsonBody(for mediator: String) throws(MediationFault) -> JSONValue? {
        if let parsedBody {
            if case .json(let value) = parsedBody { return value }
            return nil
        }
        let text = try bodyText(for: mediator)
        let value: JSONValue?
        do {
            value = try JSONParser.parse(text)
        } catch {
            if declaredFormat == .json && !text.trimmingWhitespace().isEmpty {
                throw MediationFault.messageParsingError("the \(declaredContentType) body is not JSON: \(error)")
            }
            value = nil
        }
        parsedBody = value.map(ParsedBody.json) ?? ParsedBody.notJSON
        return value
    }

    /// The body as XML text for XPath: XML as is, JSON converted the way Synapse does (`<jsonObject>`), nil
    /// when empty.
    /// - Throws: `MediationFault.messageParsingError` (601000) when `Content-Type` says XML or JSON and the body
    ///   is neither (a malformed XML body fails the same way when XPath parses it).
    mutating func xmlPayload(for mediator: String) throws(MediationFault) -> String? {
        let text = try bodyText(for: mediator)
        // A body a <builder> built as JSON reads as JSON whatever its Content-Type says.
        if case .json(let json)? = parsedBody { return xml(for: json) }
        guard let first = text.unicodeScalars.first(where: { !$0.properties.isWhitespace }) else { return nil }
        if first == "<" { return text }
        if declaredFormat == .xml {
            throw MediationFault.messageParsingError("the \(declaredContentType) body is not XML")
        }
        if let json = try jsonBody(for: mediator) { return xml(for: json) }
        return nil
    }

    /// Synapse's XML for JSON, with `<?xml-multiple?>` marks when `writesXMLMultipleMarks` asks for them.
    func xml(for json: JSONValue) -> String {
        JSONXMLConverter.xml(for: json, multipleMarks: writesXMLMultipleMarks)
    }

    /// What the body's `Content-Type` says it is, which decides the builder Synapse reads it with.
    enum DeclaredFormat {
        case json
        case xml
        case other
    }

    var declaredFormat: DeclaredFormat {
        let type = declaredContentType
        if type == "application/json" || type == "text/json" || type.hasSuffix("+json") { return .json }
        if type == "application/xml" || type == "text/xml" || type.hasSuffix("+xml") { return .xml }
        return .other
    }

    /// The media type of `Content-Type`, lower-cased, without parameters.
    var declaredContentType: String {
        let value = headers.first(name: "Content-Type") ?? ""
        return (value.split(separator: ";", maxSplits: 1).first ?? "").trimmingWhitespace().lowercased()
    }

    /// Replaces the body with text and sets the content type (header and axis2 `messageType`).
    mutating func replaceBody(with text: String, contentType: String) {
        body = .buffered(ByteBuffer(string: text))
        headers.replaceOrAdd(name: "Content-Type", value: contentType)
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
        axis2Properties[SynapseProperty.messageType] = .string(
            contentType.split(separator: ";")[0].trimmingWhitespace()
        )
    }
}

extension MessageContext {
    /// Writes the message as axis2 `messageType` asks, as Synapse's message formatters do on the way out (for
    /// example an XML `payloadFactory` followed by `messageType=application/json`): `Content-Type` becomes axis2
    /// `ContentType` if set, else the message type as written, and a buffered body is converted when its format
    /// differs:
    ///
    /// - a JSON type (`application/json`, `text/json`, `+json`): XML becomes JSON (`XMLJSONConverter`);
    /// - `application/xml` (and other `+xml` but SOAP): JSON becomes Synapse's XML for it, a SOAP envelope gives
    ///   its body content;
    /// - `text/xml`, `application/soap+xml`: JSON becomes XML; a request that came as REST is written as its
    ///   payload, as Axis2's SOAP formatter writes a REST message;
    /// - `text/plain`: Synapse's `<ax:text>` wrapper gives its text.
    ///
    /// Call it just before writing the message; a streaming or empty body keeps its bytes.
    /// - Throws: `MediationFault` (601000) when the body must be converted but is not well-formed.
    public mutating func applyMessageType() throws(MediationFault) {
        guard let declared = axis2Properties[SynapseProperty.messageType]?.stringValue.trimmingWhitespace(),
            !declared.isEmpty
        else { return }
        // Synapse's formatters write axis2 `ContentType` when it is set, the message type otherwise.
        let contentType = axis2Properties[SynapseProperty.contentType]?.stringValue.trimmingWhitespace() ?? ""
        headers.replaceOrAdd(name: "Content-Type", value: contentType.isEmpty ? declared : contentType)
        guard let text = body.text, !text.isEmpty else { return }
        let type = (declared.split(separator: ";", maxSplits: 1).first ?? "").trimmingWhitespace().lowercased()
        let trimmed = text.trimmingWhitespace()
        let isXML = trimmed.hasPrefix("<")
        var converted: String?
        if type == "application/json" || type == "text/json" || type.hasSuffix("+json") {
            if isXML { converted = try Self.jsonText(ofXML: trimmed) }
        } else if type == "text/plain" {
            if isXML, let wrapped = Self.wrappedText(trimmed) { converted = wrapped }
        } else if type == "application/xml" || type == "text/xml" || type == "application/soap+xml"
            || type.hasSuffix("+xml")
        {
            if !isXML, let json = try jsonBody(for: "messageType") {
                converted = xml(for: json)
            } else if isXML, type == "application/xml", trimmed.contains("Envelope"),
                let content = Self.bodyContent(ofEnvelope: trimmed)
            {
                converted = content.trimmingWhitespace()
            }
        }
        guard let converted else { return }
        body = .text(converted)
        headers.remove(name: "Content-Length")
    }

    private static func jsonText(ofXML text: String) throws(MediationFault) -> String {
        do throws(MediationFault) {
            return try XMLJSONConverter.json(for: text).description
        } catch {
            throw MediationFault.messageParsingError(error.detail ?? error.message)
        }
    }

    /// The text of Synapse's `<ax:text xmlns:ax="http://ws.apache.org/commons/ns/payload">` wrapper, nil for other
    /// XML.
    private static func wrappedText(_ xml: String) -> String? {
        guard xml.contains(payloadWrapperNamespace), let document = try? XPathEngine.parseXML(xml),
            let root = xmlDocGetRootElement(document)
        else { return nil }
        defer { xmlFreeDoc(document) }
        let namespace = root.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
        guard String(cString: root.pointee.name) == "text", namespace == payloadWrapperNamespace else { return nil }
        return XPathEngine.stringValue(of: root)
    }
}
