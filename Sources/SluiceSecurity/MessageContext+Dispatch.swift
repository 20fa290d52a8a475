import SluiceMediation
import SluiceModel

extension MessageContext {
    /// The API and resource the gateway dispatched this request to.
    var dispatched: DispatchedResource? { dispatchedResource }

    /// The caller's address: the first `X-Forwarded-For` entry (as WSO2 reads it), else the connection's peer.
    var clientIP: String {
        if let forwarded = headers.first(name: "X-Forwarded-For") {
            let first = forwarded.split(separator: ",", maxSplits: 1).first ?? ""
            let trimmed = first.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            if !trimmed.isEmpty { return String(trimmed) }
        }
        return clientAddress ?? ""
    }
}
