internal import CLibXML2
internal import SluiceXML
import NIOHTTP1
public import SluiceModel

/// An address or http endpoint's `format`, applied to the outgoing message as Synapse's
/// `Axis2FlexibleMEPClient` and Axis2's message formatters apply it, whatever the client sent:
///
/// - `soap11` / `soap12`: a POST with the payload in a SOAP envelope of that version (`text/xml` with a quoted
///   `SOAPAction`, or `application/soap+xml` with the action as a parameter). A SOAP envelope of the other version
///   gives up its body content, plain XML is wrapped, JSON is wrapped as the XML Synapse builds for it
///   (`<jsonObject>`), text as `<ax:text>`, and no body gives an empty `<Body/>`.
/// - `pox`: the payload as plain XML (`application/xml`), a SOAP envelope's body content, JSON as `<jsonObject>`.
/// - `get`: a GET without a body; the child elements of the payload's root become query parameters
///   (Axis2's `application/x-www-form-urlencoded` formatter).
/// - `rest`, or no format: the message goes as it is.
extension MessageContext {
    /// What applying a format asks of the request line.
    public struct EndpointFormatting: Sendable, Equatable {
        /// The method the request must use (`POST` for SOAP, `GET` for `get`), nil to keep the message's.
        public var method: String?
        /// Query parameters to append to the endpoint URL (`get`), names and values as text.
        public var queryParameters: [(name: String, value: String)]

        /// Keeps the message's method and adds no query parameters unless told.
        public init(method: String? = nil, queryParameters: [(name: String, value: String)] = []) {
            self.method = method
            self.queryParameters = queryParameters
        }

        public static func == (lhs: EndpointFormatting, rhs: EndpointFormatting) -> Bool {
            lhs.method == rhs.method && lhs.queryParameters.elementsEqual(rhs.queryParameters) { $0 == $1 }
        }
    }

    /// The namespace of Synapse's text and binary payload wrappers (`<ax:text>`).
    static let payloadWrapperNamespace = "http://ws.apache.org/commons/ns/payload"

    /// True when sending to an endpoint of `format` changes the body, so a streamed body must be read first.
    public func needsWholeBody(for format: MessageFormat?) -> Bool {
        switch format {
        case nil, .rest?: false
        case .get?: true
        case .soap11?: SOAPVersion(headers: headers) != .soap11
        case .soap12?: SOAPVersion(headers: headers) != .soap12
        case .pox?: SOAPVersion(headers: headers) != nil || !Self.isPlainXML(headers)
        }
    }

    /// Rewrites the body and its headers for `format` (see the type's documentation).
    /// - Returns: the method and query parameters the request line needs.
    /// - Throws: `MediationFault` when the body must be read but is still streaming.
    public mutating func applyEndpointFormat(_ format: MessageFormat?) throws(MediationFault) -> EndpointFormatting {
        switch format {
        case nil, .rest?:
            return EndpointFormatting()
        case .soap11?, .soap12?:
            let version: SOAPVersion = format == .soap11 ? .soap11 : .soap12
            // A message already in this SOAP version goes as it is, only as a POST.
            guard SOAPVersion(headers: headers) != version else { return EndpointFormatting(method: "POST") }
            // `<header name="Action">` names the operation of a REST message sent to a SOAP endpoint.
            let action = addressing.action ?? Self.soapAction(headers)
            let payload = try xmlPayloadForFormat()
            let envelope =
                #"<soapenv:Envelope xmlns:soapenv="\#(version.envelopeNamespace)">"#
                + (payload.isEmpty ? "<soapenv:Body/>" : "<soapenv:Body>" + payload + "</soapenv:Body>")
                + "</soapenv:Envelope>"
            body = .text(envelope)
            switch version {
            case .soap11:
                headers.replaceOrAdd(name: "Content-Type", value: version.contentType)
                headers.replaceOrAdd(name: "SOAPAction", value: "\"" + (action ?? "") + "\"")
            case .soap12:
                headers.replaceOrAdd(name: "Content-Type", value: version.contentType + (action.map { "; action=\"\($0)\"" } ?? ""))
                headers.remove(name: "SOAPAction")
            }
            dropFraming()
            return EndpointFormatting(method: "POST")
        case .pox?:
            if needsWholeBody(for: .pox) {
                let payload = try xmlPayloadForFormat()
                if payload.isEmpty {
                    body = .empty
                    headers.remove(name: "Content-Type")
                } else {
                    body = .text(payload)
                    headers.replaceOrAdd(name: "Content-Type", value: "application/xml; charset=UTF-8")
                }
                dropFraming()
            }
            headers.remove(name: "SOAPAction")
            return EndpointFormatting()
        case .get?:
            let payload = try xmlPayloadForFormat()
            body = .empty
            headers.remove(name: "Content-Type")
            headers.remove(name: "SOAPAction")
            dropFraming()
            return EndpointFormatting(method: "GET", queryParameters: try Self.childTexts(ofRootOf: payload))
        }
    }

    /// The payload as XML without a declaration: a SOAP envelope's body content, XML as is, JSON as Synapse's
    /// `<jsonObject>`, other text in `<ax:text>`; "" for no body.
    mutating func xmlPayloadForFormat() throws(MediationFault) -> String {
        let text = try bodyText(for: "endpoint format")
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return "" }
        if SOAPVersion(headers: headers) != nil, let content = Self.bodyContent(ofEnvelope: trimmed) {
            return content.trimmingWhitespace()
        }
        if trimmed.hasPrefix("<") { return Self.withoutDeclaration(trimmed) }
        if let json = try jsonBody(for: "endpoint format") { return xml(for: json) }
        return #"<ax:text xmlns:ax="\#(Self.payloadWrapperNamespace)">"# + XMLEscaping.escape(text) + "</ax:text>"
    }

    private mutating func dropFraming() {
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
    }

    private static func isPlainXML(_ headers: HTTPHeaders) -> Bool {
        let contentType = headers.first(name: "Content-Type")?.lowercased() ?? ""
        return contentType.hasPrefix("application/xml") || contentType.hasPrefix("text/xml")
    }

    /// The action of a SOAP message: `SOAPAction` (1.1) or the `action` parameter of `Content-Type` (1.2).
    public static func soapAction(_ headers: HTTPHeaders) -> String? {
        if let action = headers.first(name: "SOAPAction") {
            let trimmed = action.trimmingQuotes()
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let contentType = headers.first(name: "Content-Type"),
            let range = contentType.firstRange(of: "action=")
        else { return nil }
        let value = contentType[range.upperBound...].prefix { $0 != ";" }
        return String(value).trimmingQuotes()
    }

    /// The children of the envelope's `Body` element, as written.
    public static func bodyContent(ofEnvelope text: String) -> String? {
        guard let open = text.firstMatch(of: #/<([A-Za-z_][\w.\-]*:)?Body[\s/>]/#),
            let tagEnd = text[open.range.lowerBound...].firstIndex(of: ">")
        else { return nil }
        if text[..<tagEnd].hasSuffix("/") { return "" }
        let prefix = open.output.1.map(String.init) ?? ""
        let rest = text[text.index(after: tagEnd)...]
        guard let close = rest.ranges(of: "</\(prefix)Body>").last else { return nil }
        return String(rest[..<close.lowerBound])
    }

    static func withoutDeclaration(_ text: String) -> String {
        guard text.hasPrefix("<?xml"), let end = text.firstRange(of: "?>") else { return text }
        return String(text[end.upperBound...]).trimmingWhitespace()
    }

    /// Axis2's GET formatter: each child element of the payload's root gives `name=text`.
    private static func childTexts(ofRootOf payload: String) throws(MediationFault) -> [(name: String, value: String)] {
        _ = XPathEngine.initialize
        guard let document = try XPathEngine.parseXML(payload), let root = xmlDocGetRootElement(document) else {
            return []
        }
        defer { xmlFreeDoc(document) }
        var parameters: [(name: String, value: String)] = []
        var child = root.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                parameters.append((String(cString: current.pointee.name), XPathEngine.stringValue(of: current)))
            }
            child = current.pointee.next
        }
        return parameters
    }
}

extension String {
    fileprivate func trimmingQuotes() -> String {
        String(drop { $0 == "\"" }.reversed().drop { $0 == "\"" }.reversed())
    }
}
