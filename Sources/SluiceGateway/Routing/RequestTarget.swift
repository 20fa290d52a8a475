import SluiceModel

/// The parts of a request URI the router works with: the path (dot segments removed), the raw query and decoded
/// query parameters.
public struct RequestTarget: Sendable, Hashable {
    /// Why the gateway refuses a request target with 400.
    public enum Refusal: Sendable, Hashable {
        /// Neither origin form (`/path`), absolute form (`http://host/path`) nor `*`.
        case notAPath
        /// A `..` climbs above `/`, or a dot segment hides behind `%2F`, `%5C` or `\` (see `DotSegments`).
        case dotSegments
    }

    /// The path as received (still percent-encoded), always starting with `/`, with RFC 3986 dot segments
    /// (`.`, `..`, also written `%2E`) removed: the path the router dispatches and the backend receives.
    public let path: Substring
    /// The text after `?`, without it; nil when the URI has none.
    public let query: Substring?
    /// The path and `?query` (the path normalised as `path` is): `path` and `query` are slices of it.
    public let pathAndQuery: Substring
    /// Set when the request must be refused; `path` is then `/`.
    public let refusal: Refusal?
    /// The fewest non-empty segments a `..` left in the path, nil when no `..` removed one: a request whose API
    /// context has more segments climbed out of it, and is refused (see `stays(within:)`).
    let dotSegmentFloor: Int?

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
        var floor: Int?
        var refusal: Refusal?
        let rawPath = uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { uri[..<$0] } ?? uri
        if rawPath.utf8.first != UInt8(ascii: "/") {
            if rawPath != "*" { refusal = .notAPath }
        } else {
            do {
                let normalized = try DotSegments.remove(from: rawPath)
                floor = normalized.floor
                // Rebuilt only when a dot segment went: the usual request keeps slicing the URI as received.
                if normalized.changed { uri = Substring(String(normalized.path) + String(uri[rawPath.endIndex...])) }
            } catch {
                refusal = .dotSegments
            }
        }
        if refusal != nil { uri = "/" }
        self.refusal = refusal
        self.dotSegmentFloor = floor
        self.pathAndQuery = uri
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            self.path = uri[..<mark]
            self.query = uri[uri.utf8.index(after: mark)...]
        } else {
            self.path = uri
            self.query = nil
        }
    }

    /// True when a `..` segment removed a segment of the path: such a request must land within an API (no
    /// `main` sequence fallback), and stay within its context.
    public var climbs: Bool { dotSegmentFloor != nil }

    /// False when the path's `..` segments climbed out of `context` (`/api/1.0/../other/1.0/x` does not stay
    /// within `/other/1.0`): dot segments may move between an API's resources, never between APIs.
    public func stays(within context: String) -> Bool {
        guard let dotSegmentFloor else { return true }
        return dotSegmentFloor >= DotSegments.depth(of: context)
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
