import NIOHTTP1

/// The headers of a reply built from the request message: `respond` in an in-sequence, `send` with
/// `RESPONSE=true`, a fault sequence answering before any backend did.
///
/// Synapse sends the message's transport headers back, the client's own request headers included. We send what
/// mediation set or changed (a header mediator's `Location`, `Set-Cookie`, CORS or custom headers), plus
/// `Content-Type` and `SOAPAction`; not the client's request headers as it sent them, and never the headers that
/// only mean something on a request (credentials, `Host`, `Expect`...), whoever set them.
enum RequestMessageReply {
    /// Headers that describe a request only; a reply never carries them (lower case).
    static let requestOnlyNames: Set<String> = [
        "host", "authorization", "proxy-authorization", "cookie", "expect", "max-forwards", "te", "content-length",
        "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range",
    ]

    /// Headers that always describe the message itself and so stay (lower case).
    private static let messageNames: Set<String> = ["content-type", "soapaction"]

    /// The reply's headers.
    /// - Parameters:
    ///   - current: The message's headers after mediation.
    ///   - request: The headers the client sent.
    static func headers(_ current: HTTPHeaders, request: HTTPHeaders) -> HTTPHeaders {
        var sent: Set<String> = []
        for header in request { sent.insert(header.name.lowercased() + "\u{0}" + header.value) }
        var kept = HTTPHeaders()
        for header in current {
            let name = header.name.lowercased()
            if requestOnlyNames.contains(name) { continue }
            guard messageNames.contains(name) || !sent.contains(name + "\u{0}" + header.value) else { continue }
            kept.add(name: header.name, value: header.value)
        }
        return kept
    }
}
