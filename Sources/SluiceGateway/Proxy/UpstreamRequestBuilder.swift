import NIOHTTP1
import SluiceMediation
import SluiceModel

/// Builds the request head sent to a backend from the mediated message (RFC 9110 proxy rules).
enum UpstreamRequestBuilder {
    /// The head for `url`: hop-by-hop headers dropped, `Host` set to the backend, `X-Forwarded-For`/`-Host`/
    /// `-Proto` added, `format="get"` applied, and the body framing made to match the
    /// message body (`Content-Length` for buffered bodies, the client's framing for streamed ones).
    static func head(
        for context: MessageContext,
        request: HTTPRequestHead,
        method methodName: String,
        format: MessageFormat?,
        url: UpstreamURL,
        clientAddress: String?
    ) -> HTTPRequestHead {
        var headers = context.headers
        HopByHopHeaders.remove(from: &headers)
        // The gateway already answered any `Expect: 100-continue` itself.
        headers.remove(name: "Expect")
        headers.replaceOrAdd(name: "Host", value: url.hostHeader)
        if let clientAddress {
            if let previous = request.headers.first(name: "X-Forwarded-For") {
                headers.replaceOrAdd(name: "X-Forwarded-For", value: previous + ", " + clientAddress)
            } else {
                headers.replaceOrAdd(name: "X-Forwarded-For", value: clientAddress)
            }
        }
        if let originalHost = request.headers.first(name: "Host"), !headers.contains(name: "X-Forwarded-Host") {
            headers.add(name: "X-Forwarded-Host", value: originalHost)
        }
        if !headers.contains(name: "X-Forwarded-Proto") { headers.add(name: "X-Forwarded-Proto", value: "http") }
        // XML shapes were converted before (MessageFormatConverter); `get` sends no body.
        let method = format == .get ? HTTPMethod.GET : HTTPMethod(rawValue: methodName)
        switch context.body {
        case .buffered(let body):
            headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        case .empty:
            headers.remove(name: "Content-Length")
        case .streaming:
            if !headers.contains(name: "Content-Length") && HopByHopHeaders.isChunked(request.headers) {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            }
        }
        if method == .GET || method == .HEAD { headers.remove(name: "Content-Length") }
        return HTTPRequestHead(version: .http1_1, method: method, uri: url.target, headers: headers)
    }

    /// Splits a `Host` header into a lower-cased name and an optional port.
    static func splitHost(_ header: String?) -> (String?, Int?) {
        guard let header, !header.isEmpty else { return (nil, nil) }
        if header.hasPrefix("["), let close = header.firstIndex(of: "]") {
            let port = header[header.index(after: close)...].dropFirst()
            return (String(header[...close]).lowercased(), Int(port))
        }
        guard let colon = header.lastIndex(of: ":") else { return (header.lowercased(), nil) }
        return (String(header[..<colon]).lowercased(), Int(header[header.index(after: colon)...]))
    }
}
