import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

/// Rewrites an XML message for an endpoint's `format=soap11|soap12|pox`, as Synapse's message formatters do:
/// plain XML is wrapped in an envelope, a SOAP envelope changes version or gives up its body content.
/// JSON and other bodies, and messages already in the wanted format, are left alone.
enum MessageFormatConverter {
    /// The XML shape of a message, read from its headers.
    enum Shape: Equatable {
        case soap(SOAPVersion)
        case pox
        /// Not XML (JSON, text, binary) or no body: never converted.
        case other
    }

    /// What `headers` say the body is.
    static func shape(of headers: HTTPHeaders) -> Shape {
        if let version = SOAPVersion(headers: headers) { return .soap(version) }
        let contentType = headers.first(name: "Content-Type")?.lowercased() ?? ""
        return contentType.hasPrefix("application/xml") || contentType.hasPrefix("text/xml") ? .pox : .other
    }

    /// The shape `format` asks for, or nil when the format keeps the message as it is.
    static func target(of format: MessageFormat?) -> Shape? {
        switch format {
        case .soap11?: .soap(.soap11)
        case .soap12?: .soap(.soap12)
        case .pox?: .pox
        case .rest?, .get?, nil: nil
        }
    }

    /// True when sending a message of `headers` to an endpoint of `format` changes its body.
    static func needsConversion(_ headers: HTTPHeaders, to format: MessageFormat?) -> Bool {
        guard let target = target(of: format) else { return false }
        let shape = shape(of: headers)
        return shape != .other && shape != target
    }

    /// Converts `body` (described by `headers`) to `format`; updates `Content-Type` and `SOAPAction`.
    /// - Returns: the new body, or nil when the message is left alone.
    static func convert(_ body: ByteBuffer, headers: inout HTTPHeaders, to format: MessageFormat?) -> ByteBuffer? {
        guard needsConversion(headers, to: format), let target = target(of: format) else { return nil }
        let text = String(buffer: body)
        let action = soapAction(headers)
        let payload: String
        switch shape(of: headers) {
        case .soap: payload = bodyContent(ofEnvelope: text) ?? ""
        case .pox: payload = withoutDeclaration(text)
        case .other: return nil
        }
        switch target {
        case .soap(let version):
            let converted =
                #"<soapenv:Envelope xmlns:soapenv="\#(version.envelopeNamespace)"><soapenv:Body>"#
                + payload + "</soapenv:Body></soapenv:Envelope>"
            switch version {
            case .soap11:
                headers.replaceOrAdd(name: "Content-Type", value: version.contentType)
                headers.replaceOrAdd(name: "SOAPAction", value: action.map { "\"\($0)\"" } ?? "\"\"")
            case .soap12:
                let actionParameter = action.map { "; action=\"\($0)\"" } ?? ""
                headers.replaceOrAdd(name: "Content-Type", value: version.contentType + actionParameter)
                headers.remove(name: "SOAPAction")
            }
            return ByteBuffer(string: converted)
        case .pox:
            headers.replaceOrAdd(name: "Content-Type", value: "application/xml; charset=UTF-8")
            headers.remove(name: "SOAPAction")
            return ByteBuffer(string: payload)
        case .other:
            return nil
        }
    }

    /// The action of a SOAP message: `SOAPAction` (1.1) or the `action` parameter of `Content-Type` (1.2).
    static func soapAction(_ headers: HTTPHeaders) -> String? {
        if let action = headers.first(name: "SOAPAction") {
            let trimmed = action.trimmingCharacters(in: "\"")
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let contentType = headers.first(name: "Content-Type"),
            let range = contentType.firstRange(of: "action=")
        else { return nil }
        let value = contentType[range.upperBound...].prefix { $0 != ";" }
        return String(value).trimmingCharacters(in: "\"")
    }

    /// The children of the envelope's `Body` element, as written.
    static func bodyContent(ofEnvelope text: String) -> String? {
        guard let open = text.firstMatch(of: #/<([A-Za-z_][\w.\-]*:)?Body[\s/>]/#),
            let tagEnd = text[open.range.lowerBound...].firstIndex(of: ">")
        else { return nil }
        if text[..<tagEnd].hasSuffix("/") { return "" }
        let prefix = open.output.1.map(String.init) ?? ""
        let rest = text[text.index(after: tagEnd)...]
        guard let close = rest.ranges(of: "</\(prefix)Body>").last else { return nil }
        return String(rest[..<close.lowerBound])
    }

    private static func withoutDeclaration(_ text: String) -> String {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard trimmed.hasPrefix("<?xml"), let end = trimmed.firstRange(of: "?>") else { return String(trimmed) }
        return String(trimmed[end.upperBound...])
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
