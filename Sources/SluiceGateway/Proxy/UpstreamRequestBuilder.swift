import NIOHTTP1
import SluiceMediation
import SluiceModel

/// Builds the request head sent to a backend from the mediated message (RFC 9110 proxy rules).
enum UpstreamRequestBuilder {
    /// The head for `url`: hop-by-hop headers dropped, `Host` set to the backend, `X-Forwarded-For`/`-Host`/
    /// `-Proto` added, and the body framing made to match the message body (`Content-Length` for buffered
    /// bodies, the client's framing for streamed ones). The endpoint's `format` was applied to the message and
    /// to `methodName` before.
    static func head(
        for context: MessageContext,
        request: HTTPRequestHead,
        method methodName: String,
        url: UpstreamURL,
        clientAddress: String?
    ) -> HTTPRequestHead {
        var headers = context.headers
        HopByHopHeaders.remove(from: &headers)
        // The gateway already answered any `Expect: 100-continue` itself.
        if headers.contains(name: "Expect") { headers.remove(name: "Expect") }
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
        let method = HTTPMethod(rawValue: methodName)
        switch context.body {
        case .buffered(let body):
            headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        case .empty:
            if headers.contains(name: "Content-Length") { headers.remove(name: "Content-Length") }
        case .streaming:
            if !headers.contains(name: "Content-Length") && HopByHopHeaders.isChunked(request.headers) {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            }
        }
        if method == .GET || method == .HEAD, headers.contains(name: "Content-Length") { headers.remove(name: "Content-Length") }
        MessageFraming.frameRequest(&headers, method: method, version: .http1_1)
        return HTTPRequestHead(version: .http1_1, method: method, uri: url.target, headers: headers)
    }

    /// Splits a `Host` header into a lower-cased name and an optional port.
    static func splitHost(_ header: String?) -> (String?, Int?) {
        guard let header, !header.isEmpty else { return (nil, nil) }
        // Per request: searched as UTF-8 bytes, lower-cased only when there is an upper-case letter.
        let bytes = header.utf8
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            let port = header[bytes.index(after: close)...].dropFirst()
            return (lowercased(header[...close]), Int(port))
        }
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")) else { return (lowercased(header[...]), nil) }
        return (lowercased(header[..<colon]), Int(header[bytes.index(after: colon)...]))
    }

    private static func lowercased(_ text: Substring) -> String {
        text.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? text.lowercased() : String(text)
    }
}
