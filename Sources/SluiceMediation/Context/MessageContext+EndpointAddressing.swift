public import SluiceModel
internal import SluiceXML

extension MessageContext {
    /// `<enableAddressing/>` of the endpoint the message goes to: a SOAP message gets WS-Addressing header blocks
    /// `To` (the endpoint's URL), `MessageID` (the one `<header name="MessageID">` set, else a new `urn:uuid:`),
    /// `Action` (the message's action, when it has one), `ReplyTo` (anonymous: the reply comes back on the same
    /// connection) and `From`, `FaultTo` and `RelatesTo` when `<header>` set them. Blocks of the same names already in
    /// the envelope are replaced. A message that is not a SOAP envelope is left alone, as Synapse's REST calls are.
    /// - Throws: `MediationFault` when the envelope is not well-formed XML.
    public mutating func applyEndpointAddressing(_ settings: EndpointAddressing, url: String) throws(MediationFault) {
        guard soapVersion != nil else { return }
        let namespace = settings.namespace
        let names = ["To", "MessageID", "Action", "ReplyTo", "From", "FaultTo", "RelatesTo"]
        for name in names {
            try SOAPHeaderBlocks.apply(.remove(namespace: namespace, localName: name), to: &self)
        }
        func block(_ name: String, _ value: String) -> String {
            "<wsa:\(name) xmlns:wsa=\"\(namespace)\">\(XMLEscaping.text(value))</wsa:\(name)>"
        }
        func endpointReference(_ name: String, _ address: String) -> String {
            "<wsa:\(name) xmlns:wsa=\"\(namespace)\"><wsa:Address>\(XMLEscaping.text(address))</wsa:Address></wsa:\(name)>"
        }
        var markup = block("To", url)
        markup += block("MessageID", addressing.messageID ?? Self.newMessageID())
        if let action = lookupProperty(scope: .default, name: "Action")?.stringValue, !action.isEmpty {
            markup += block("Action", action)
        }
        markup += endpointReference("ReplyTo", addressing.replyTo ?? settings.anonymousAddress)
        if let from = addressing.from { markup += endpointReference("From", from) }
        if let faultTo = addressing.faultTo { markup += endpointReference("FaultTo", faultTo) }
        if let relatesTo = addressing.relatesTo { markup += block("RelatesTo", relatesTo) }
        try SOAPHeaderBlocks.apply(.addBlocks(markup), to: &self)
    }

    /// A random (version 4) UUID as a `urn:uuid:` URI.
    static func newMessageID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = HexEncoding.encode(bytes)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return "urn:uuid:" + parts.joined(separator: "-")
    }
}
