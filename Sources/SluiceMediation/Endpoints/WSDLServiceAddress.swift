import SluiceModel
internal import SluiceXML

/// The address a `<wsdl service= port=>` endpoint sends to, read from the WSDL once at deploy time: the
/// `location` of the port's `soap:address` / `soap12:address` / `http:address` (WSDL 1.1), or the `address` of
/// the service's `endpoint` (WSDL 2.0), with the SOAP version its binding implies.
struct WSDLServiceAddress: Equatable {
    let uri: String
    /// `soap11` / `soap12` for SOAP bindings, nil for HTTP ones.
    let format: MessageFormat?

    static let wsdl11 = "http://schemas.xmlsoap.org/wsdl/"
    static let wsdl20 = "http://www.w3.org/ns/wsdl"
    private static let soap11Binding = "http://schemas.xmlsoap.org/wsdl/soap/"
    private static let soap12Binding = "http://schemas.xmlsoap.org/wsdl/soap12/"
    private static let httpBinding = "http://schemas.xmlsoap.org/wsdl/http/"
    private static let wsdl20SOAP = "http://www.w3.org/ns/wsdl/soap"

    /// The largest WSDL file read at deploy time.
    static let maximumFileBytes = 4 << 20

    /// Finds the address of `port` of `service` in the WSDL document `text`.
    /// - Throws: A sentence saying what is missing or malformed.
    static func find(service: String, port: String, in text: String) throws(WSDLError) -> WSDLServiceAddress {
        let root: XMLElementNode
        do {
            root = try XMLDocumentParser().parse(text: text)
        } catch {
            throw WSDLError("the WSDL is not well-formed XML (\(error.message))")
        }
        return try find(service: service, port: port, in: root)
    }

    static func find(service: String, port: String, in root: XMLElementNode) throws(WSDLError) -> WSDLServiceAddress {
        switch (root.namespaceURI, root.localName) {
        case (wsdl11?, "definitions"):
            let portElement = try child(of: try serviceElement(service, in: root), "port", named: port)
            for address in portElement.childElements where address.localName == "address" {
                let format: MessageFormat?
                switch address.namespaceURI {
                case soap11Binding?: format = .soap11
                case soap12Binding?: format = .soap12
                case httpBinding?: format = nil
                default: continue
                }
                guard let location = address.attribute("location"), !location.isEmpty else {
                    throw WSDLError("port '\(port)' of service '\(service)' has an address without a location")
                }
                return WSDLServiceAddress(uri: location, format: format)
            }
            throw WSDLError("port '\(port)' of service '\(service)' has no SOAP or HTTP address")
        case (wsdl20?, "description"):
            let endpoint = try child(of: try serviceElement(service, in: root), "endpoint", named: port)
            guard let address = endpoint.attribute("address"), !address.isEmpty else {
                throw WSDLError("endpoint '\(port)' of service '\(service)' has no address")
            }
            let bindingName = endpoint.attribute("binding").map { String($0.split(separator: ":").last ?? "") }
            let binding = root.childElements.first {
                $0.namespaceURI == wsdl20 && $0.localName == "binding" && $0.attribute("name") == bindingName
            }
            var format: MessageFormat?
            if binding?.attribute("type") == wsdl20SOAP {
                let version = binding?.attributes.first { $0.localName == "version" && $0.namespaceURI == wsdl20SOAP }
                format = version?.value == "1.1" ? .soap11 : .soap12
            }
            return WSDLServiceAddress(uri: address, format: format)
        default:
            throw WSDLError("the document is not a WSDL 1.1 <definitions> or WSDL 2.0 <description>")
        }
    }

    private static func serviceElement(_ name: String, in root: XMLElementNode) throws(WSDLError) -> XMLElementNode {
        guard let found = root.childElements.first(where: { $0.localName == "service" && $0.attribute("name") == name })
        else {
            let names = root.childElements.filter { $0.localName == "service" }.compactMap { $0.attribute("name") }
            throw WSDLError("the WSDL has no service '\(name)' (services: \(names.joined(separator: ", ")))")
        }
        return found
    }

    private static func child(of service: XMLElementNode, _ kind: String, named name: String) throws(WSDLError) -> XMLElementNode {
        guard let found = service.childElements.first(where: { $0.localName == kind && $0.attribute("name") == name })
        else {
            let names = service.childElements.filter { $0.localName == kind }.compactMap { $0.attribute("name") }
            throw WSDLError(
                "service '\(service.attribute("name") ?? "")' has no \(kind) '\(name)' (\(kind)s: \(names.joined(separator: ", ")))"
            )
        }
        return found
    }
}

/// Why a WSDL endpoint's address could not be found.
struct WSDLError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
