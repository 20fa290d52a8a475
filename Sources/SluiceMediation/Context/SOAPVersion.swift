import NIOHTTP1

/// SOAP 1.1 or 1.2, as told by a message's headers.
public enum SOAPVersion: String, Sendable, Hashable {
    case soap11
    case soap12

    /// Reads the version from `Content-Type` (`application/soap+xml` is 1.2) and `SOAPAction` (1.1 with
    /// `text/xml`); nil when the message is not SOAP.
    public init?(headers: HTTPHeaders) {
        let contentType = headers.first(name: "Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/soap+xml") {
            self = .soap12
        } else if contentType.hasPrefix("text/xml"), headers.contains(name: "SOAPAction") {
            self = .soap11
        } else {
            return nil
        }
    }

    /// The envelope namespace.
    public var envelopeNamespace: String {
        switch self {
        case .soap11: "http://schemas.xmlsoap.org/soap/envelope/"
        case .soap12: "http://www.w3.org/2003/05/soap-envelope"
        }
    }

    /// The content type of a message of this version.
    public var contentType: String {
        switch self {
        case .soap11: "text/xml; charset=UTF-8"
        case .soap12: "application/soap+xml; charset=UTF-8"
        }
    }
}
