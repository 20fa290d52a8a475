import SluiceModel

/// The parts of a request URI the router works with: the raw path, the raw query and decoded query parameters.
public struct RequestTarget: Sendable, Hashable {
    /// The path exactly as received (still percent-encoded), always starting with `/`.
    public let path: Substring
    /// The text after `?`, without it; nil when the URI has none.
    public let query: Substring?
    /// The path and `?query` as received: `path` and `query` are slices of it.
    public let pathAndQuery: Substring

    /// Splits an origin-form request target (`/a/b?x=1`). Absolute-form targets keep only their path.
    public init(uri: String) {
        var uri = Substring(uri)
        // Searched as UTF-8 bytes (the delimiters are ASCII): Character-wise search pays for grapheme breaking.
        if uri.utf8.first != UInt8(ascii: "/"), let scheme = uri.firstRange(of: "://") {
            let afterAuthority = uri[scheme.upperBound...]
            uri = afterAuthority.utf8.firstIndex(of: UInt8(ascii: "/")).map { afterAuthority[$0...] } ?? "/"
        }
        // An empty path reads as `/`; the path and query stay slices of `pathAndQuery`.
        if uri.isEmpty || uri.utf8.first == UInt8(ascii: "?") { uri = Substring("/" + uri) }
        self.pathAndQuery = uri
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            self.path = uri[..<mark]
            self.query = uri[uri.utf8.index(after: mark)...]
        } else {
            self.path = uri
            self.query = nil
        }
    }

    /// Query parameters in order, names and values percent-decoded (`+` read as a space).
    public var queryParameters: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            guard let equals = pair.firstIndex(of: "=") else {
                return (PercentEncoding.decode(pair, plusAsSpace: true), "")
            }
            return (
                PercentEncoding.decode(pair[..<equals], plusAsSpace: true),
                PercentEncoding.decode(pair[pair.index(after: equals)...], plusAsSpace: true)
            )
        }
    }
}
