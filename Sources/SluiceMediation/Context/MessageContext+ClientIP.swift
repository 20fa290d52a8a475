import SluiceModel

extension MessageContext {
    /// The caller's address, the one place the gateway reads it: the `api.ut.clientIp` property when set (the
    /// authentication handler sets it from this accessor; a sequence may change it), else the first
    /// `X-Forwarded-For` entry (as WSO2 reads it), else the connection's peer; empty when none is known.
    public var clientIP: String {
        if let property = self[property: APIManagerProperty.clientIP] { return property.stringValue }
        if let forwarded = headers.first(name: "X-Forwarded-For") {
            let first = forwarded.split(separator: ",", maxSplits: 1).first ?? ""
            let trimmed = first.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            if !trimmed.isEmpty { return String(trimmed) }
        }
        return clientAddress ?? ""
    }
}
