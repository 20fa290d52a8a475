internal import SluiceXML
import NIOCore
import NIOHTTP1

/// Builds fault bodies in WSO2 API Manager's formats (wso2-facts §5.3, §5.4).
///
/// Three families share one shape: runtime faults (`am:fault`, namespace `http://wso2.org/apimanager`, with
/// `type` "Status report"), authentication faults (`ams:fault`) and throttling faults (`amt:fault`). Each is
/// written as XML, as `{"fault":{...}}` JSON, or wrapped in a SOAP 1.1 / 1.2 fault for SOAP requests.
public enum FaultPayload {
    /// How the fault body is encoded.
    public enum Format: Sendable, Hashable {
        case xml
        case json
        case soap(SOAPVersion)

        /// Picks the format for a request: SOAP for SOAP requests, JSON when the client sent or accepts JSON,
        /// XML otherwise (WSO2 answers XML by default).
        public init(requestHeaders: HTTPHeaders) {
            if let version = SOAPVersion(headers: requestHeaders) {
                self = .soap(version)
                return
            }
            let contentType = requestHeaders.first(name: "Content-Type")?.lowercased() ?? ""
            let accept = requestHeaders.first(name: "Accept")?.lowercased() ?? ""
            if accept.contains("json") || (contentType.contains("json") && !accept.contains("xml")) {
                self = .json
            } else {
                self = .xml
            }
        }

        /// The `Content-Type` of a fault body in this format.
        public var contentType: String {
            switch self {
            case .xml: "application/xml; charset=UTF-8"
            case .json: "application/json; charset=UTF-8"
            case .soap(let version): version.contentType
            }
        }
    }

    /// The fault family, which fixes the XML namespace and prefix.
    public enum Family: Sendable, Hashable {
        /// `am:fault`, runtime faults from the `fault` sequence.
        case runtime
        /// `ams:fault`, authentication failures.
        case authentication
        /// `amt:fault`, throttling.
        case throttling

        var prefix: String {
            switch self {
            case .runtime: "am"
            case .authentication: "ams"
            case .throttling: "amt"
            }
        }

        var namespace: String {
            switch self {
            case .runtime: "http://wso2.org/apimanager"
            case .authentication: "http://wso2.org/apimanager/security"
            case .throttling: "http://wso2.org/apimanager/throttling"
            }
        }
    }

    /// A complete fault response: status, headers and body.
    public struct Response: Sendable, Equatable {
        /// The HTTP status.
        public var status: Int
        /// `Content-Type` of the body.
        public var headers: HTTPHeaders
        /// The fault body.
        public var body: ByteBuffer
    }

    /// The fields of one fault, in the order WSO2 writes them.
    public struct Fields: Sendable, Hashable {
        /// The WSO2 error code.
        public var code: Int
        /// `type`, written only for runtime faults ("Status report").
        public var type: String?
        /// The short message.
        public var message: String
        public var description: String?
        /// `nextAccessTime`, written only for throttling faults that know it.
        public var nextAccessTime: String?

        /// Creates the fields of a fault.
        public init(
            code: Int,
            type: String? = nil,
            message: String,
            description: String? = nil,
            nextAccessTime: String? = nil
        ) {
            self.code = code
            self.type = type
            self.message = message
            self.description = description
            self.nextAccessTime = nextAccessTime
        }
    }

    /// The runtime fault WSO2's `fault` sequence writes: code = `ERROR_CODE`, message "Runtime Error",
    /// description = `ERROR_MESSAGE`.
    public static func runtimeFields(for fault: MediationFault) -> Fields {
        Fields(code: fault.code, type: "Status report", message: "Runtime Error", description: fault.message)
    }

    /// The body text of a fault.
    /// - Parameters:
    ///   - fields: The fault's fields.
    ///   - family: Which WSO2 fault element to write.
    ///   - format: XML, JSON or SOAP.
    ///   - isClientError: For SOAP: `Client`/`Sender` instead of `Server`/`Receiver` as the fault code.
    public static func body(_ fields: Fields, family: Family, format: Format, isClientError: Bool = false) -> String {
        switch format {
        case .json:
            return json(fields)
        case .xml:
            return xml(fields, family: family)
        case .soap(let version):
            return soap(fields, family: family, version: version, isClientError: isClientError)
        }
    }

    /// The default answer to a fault that no fault sequence handled: a runtime fault with HTTP status
    /// `fault.httpStatus`, else `CUSTOM_HTTP_SC`, else 500, in the format the request calls for.
    /// - Parameters:
    ///   - fault: The fault.
    ///   - context: The message context; its request headers choose the format (pass the request's headers
    ///     in `requestHeaders` when the context already holds a response).
    ///   - requestHeaders: The original request headers, when they differ from `context.headers`.
    public static func response(
        for fault: MediationFault,
        family: Family = .runtime,
        context: MessageContext,
        requestHeaders: HTTPHeaders? = nil
    ) -> Response {
        let status =
            fault.httpStatus
            ?? context[property: SynapseProperty.customHTTPStatusCode].flatMap { Int($0.stringValue) }
            ?? 500
        let format = Format(requestHeaders: requestHeaders ?? context.headers)
        let fields =
            family == .runtime
            ? runtimeFields(for: fault)
            : Fields(code: fault.code, message: fault.message, description: fault.detail)
        let text = body(fields, family: family, format: format, isClientError: (400..<500).contains(status))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        return Response(status: status, headers: headers, body: ByteBuffer(string: text))
    }

    // MARK: - Writers

    private static func json(_ fields: Fields) -> String {
        var output = "{\"fault\":{\"code\":\(fields.code)"
        if let type = fields.type { output += ",\"type\":" + JSONValue.quoted(type) }
        output += ",\"message\":" + JSONValue.quoted(fields.message)
        if let description = fields.description { output += ",\"description\":" + JSONValue.quoted(description) }
        if let next = fields.nextAccessTime { output += ",\"nextAccessTime\":" + JSONValue.quoted(next) }
        return output + "}}"
    }

    private static func xml(_ fields: Fields, family: Family) -> String {
        let prefix = family.prefix
        func element(_ name: String, _ value: String) -> String {
            "<\(prefix):\(name)>\(XMLEscaping.escape(value))</\(prefix):\(name)>"
        }
        var output = "<\(prefix):fault xmlns:\(prefix)=\"\(family.namespace)\">"
        output += element("code", String(fields.code))
        if let type = fields.type { output += element("type", type) }
        output += element("message", fields.message)
        if let description = fields.description { output += element("description", description) }
        if let next = fields.nextAccessTime { output += element("nextAccessTime", next) }
        return output + "</\(prefix):fault>"
    }

    private static func soap(_ fields: Fields, family: Family, version: SOAPVersion, isClientError: Bool) -> String {
        let detail = xml(fields, family: family)
        let reason = XMLEscaping.escape(fields.message)
        var output = "<soapenv:Envelope xmlns:soapenv=\"\(version.envelopeNamespace)\"><soapenv:Body><soapenv:Fault>"
        switch version {
        case .soap11:
            output += "<faultcode>soapenv:\(isClientError ? "Client" : "Server")</faultcode>"
            output += "<faultstring>\(reason)</faultstring><detail>\(detail)</detail>"
        case .soap12:
            output += "<soapenv:Code><soapenv:Value>soapenv:\(isClientError ? "Sender" : "Receiver")</soapenv:Value>"
            output += "</soapenv:Code><soapenv:Reason><soapenv:Text xml:lang=\"en\">\(reason)</soapenv:Text>"
            output += "</soapenv:Reason><soapenv:Detail>\(detail)</soapenv:Detail>"
        }
        return output + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    }
}
