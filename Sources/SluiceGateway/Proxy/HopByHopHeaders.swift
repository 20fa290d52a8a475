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
        // The common message has none of these; find that out without allocating.
        guard headers.contains(where: { isHopByHop($0.name, named: named) }) else { return }
        var kept = HTTPHeaders()
        for header in headers where !isHopByHop(header.name, named: named) {
            kept.add(name: header.name, value: header.value)
        }
        headers = kept
    }

    private static func isHopByHop(_ name: String, named: Set<String>) -> Bool {
        if !named.isEmpty && named.contains(name.lowercased()) { return true }
        let length = name.utf8.count
        // Compare only against names of the same length, byte by byte, so ordinary headers cost no allocation.
        return names.contains { candidate in
            candidate.utf8.count == length
                && zip(candidate.utf8, name.utf8).allSatisfy { expected, actual in
                    expected == actual || (actual >= 65 && actual <= 90 && expected == actual + 32)
                }
        }
    }

    /// True when the message body is chunked (and so has no length known up front).
    static func isChunked(_ headers: HTTPHeaders) -> Bool {
        headers[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
    }
}
