import NIOHTTP1

/// RFC 9110 §7.6.1: headers that describe one connection, not the message, and so never cross a proxy.
enum HopByHopHeaders {
    /// The fixed hop-by-hop names (lower case).
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade",
    ]

    /// Removes hop-by-hop headers, including those `Connection` names.
    static func remove(from headers: inout HTTPHeaders) {
        var named: Set<String> = []
        for value in headers[canonicalForm: "connection"] {
            named.insert(value.lowercased())
        }
        guard headers.contains(where: { names.contains($0.name.lowercased()) || named.contains($0.name.lowercased()) })
        else { return }
        var kept = HTTPHeaders()
        for header in headers {
            let lowered = header.name.lowercased()
            if names.contains(lowered) || named.contains(lowered) { continue }
            kept.add(name: header.name, value: header.value)
        }
        headers = kept
    }

    /// True when the message body is chunked (and so has no length known up front).
    static func isChunked(_ headers: HTTPHeaders) -> Bool {
        headers[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
    }
}
