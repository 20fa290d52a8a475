/// The WS-Addressing properties of a message that `<header>` sets in the default scope (`To`, `From`, `Action`,
/// `FaultTo`, `ReplyTo`, `RelatesTo`, `MessageID`). nil means not set: `get-property('To')` then answers the
/// request URL, `get-property('Action')` the `SOAPAction`.
struct AddressingProperties: Sendable, Hashable {
    var to: String?
    var from: String?
    var action: String?
    var faultTo: String?
    var replyTo: String?
    var relatesTo: String?
    var messageID: String?

    /// The property a header name stands for.
    subscript(name: String) -> String? {
        get {
            switch name {
            case "To": to
            case "From": from
            case "Action": action
            case "FaultTo": faultTo
            case "ReplyTo": replyTo
            case "RelatesTo": relatesTo
            case "MessageID": messageID
            default: nil
            }
        }
        set {
            switch name {
            case "To": to = newValue
            case "From": from = newValue
            case "Action": action = newValue
            case "FaultTo": faultTo = newValue
            case "ReplyTo": replyTo = newValue
            case "RelatesTo": relatesTo = newValue
            case "MessageID": messageID = newValue
            default: break
            }
        }
    }
}

extension MessageContext {
    /// Sets (or with nil clears) a WS-Addressing property, as `<header name="To|Action|..."/>` does. `Action` also
    /// becomes the `SOAPAction` of a SOAP 1.1 message and the `action` parameter of a SOAP 1.2 `Content-Type`.
    mutating func setAddressing(_ name: String, to value: String?) {
        addressing[name] = value
        guard name == "Action" else { return }
        switch soapVersion {
        case .soap11?:
            if let value { headers.replaceOrAdd(name: "SOAPAction", value: "\"" + value + "\"") }
        case .soap12?:
            guard let contentType = headers.first(name: "Content-Type") else { return }
            var parameters = contentType.split(separator: ";").map { $0.trimmingWhitespace() }
            parameters.removeAll { $0.lowercased().hasPrefix("action=") }
            if let value { parameters.append("action=\"" + value + "\"") }
            headers.replaceOrAdd(name: "Content-Type", value: parameters.joined(separator: "; "))
        case nil:
            break
        }
    }

    /// The address `<header name="To">` set, when it is an absolute HTTP(S) URL a request can be sent to.
    var addressingDestination: String? {
        guard let to = addressing.to?.lowercased(), to.hasPrefix("http://") || to.hasPrefix("https://") else {
            return nil
        }
        return addressing.to
    }
}
