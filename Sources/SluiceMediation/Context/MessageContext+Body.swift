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
        guard let first = text.unicodeScalars.first(where: { !$0.properties.isWhitespace }) else { return nil }
        if first == "<" { return text }
        if declaredFormat == .xml {
            throw MediationFault.messageParsingError("the \(declaredContentType) body is not XML")
        }
        if let json = try jsonBody(for: mediator) { return JSONXMLConverter.xml(for: json) }
        return nil
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
    private var declaredContentType: String {
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
    /// Converts a buffered body between XML and JSON when axis2 `messageType` asks for the other format, as
    /// Synapse's message formatters do on the way out (for example an XML `payloadFactory` followed by
    /// `messageType=application/json`). Call it just before writing the message; a streaming, empty or
    /// already matching body is left alone. The `Content-Type` header follows `messageType`.
    /// - Throws: `MediationFault` when the body must be converted but is not well-formed.
    public mutating func applyMessageType() throws(MediationFault) {
        guard let messageType = axis2Properties[SynapseProperty.messageType]?.stringValue.lowercased(),
            let text = body.text, !text.isEmpty
        else { return }
        let wantsJSON = messageType.contains("json")
        let wantsXML = messageType.contains("xml")
        let first = text.unicodeScalars.first(where: { !$0.properties.isWhitespace })
        let isXML = first == "<"
        if wantsJSON && isXML {
            let json = try XMLJSONConverter.json(for: text)
            body = .text(json.description)
        } else if wantsXML && !isXML, let json = try jsonBody(for: "messageType") {
            body = .text(JSONXMLConverter.xml(for: json))
        } else {
            return
        }
        headers.replaceOrAdd(name: "Content-Type", value: messageType)
        headers.remove(name: "Content-Length")
    }
}
