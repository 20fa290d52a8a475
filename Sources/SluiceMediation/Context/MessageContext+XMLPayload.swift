extension MessageContext {
    /// Makes `xml` the payload of a message that is not a SOAP envelope, as `xslt` and a script's `setPayloadXML`
    /// do: an XML message keeps its `Content-Type`; a JSON message becomes XML that is written as JSON again on the
    /// way out (Synapse keeps the message type, and its JSON formatter converts), unless a later mediator changes
    /// the message type.
    mutating func replaceXMLPayload(with xml: String) {
        let wasJSON = body.text.map { text in
            let first = text.unicodeScalars.first { !$0.properties.isWhitespace }
            return first == "{" || first == "["
        } ?? false
        let contentType = headers.first(name: "Content-Type")
        guard wasJSON else {
            replaceBody(with: xml, contentType: contentType ?? "application/xml")
            return
        }
        replaceBody(with: xml, contentType: "application/xml")
        let declared = (contentType ?? "application/json").split(separator: ";")[0].trimmingWhitespace()
        axis2Properties[SynapseProperty.messageType] = .string(declared)
    }
}
