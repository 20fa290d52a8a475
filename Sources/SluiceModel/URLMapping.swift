/// A servlet-style resource `url-mapping`.
public enum URLMapping: Sendable, Hashable, CustomStringConvertible {
    /// `/menu`: the sub-path must be exactly this (its trailing slashes ignored); `*` in it is a literal.
    case exact(String)
    /// `/items/*` (stored as `/items`) or `/*` (stored as the empty string): this path or anything below it.
    case prefix(String)
    /// `*.json` (stored as `json`): any path ending in this extension.
    case pathExtension(String)

    /// Reads a mapping as Synapse's `URLMappingHelper` does: `/path/*` is a prefix, `*.ext` an extension, anything
    /// else (`/foo*`, `/a/*/b` included) an exact path, with one trailing `/` ignored.
    /// - Throws: `URLMappingError` for a mapping that could never match a request (empty, not starting with `/`,
    ///   or `*.` without an extension); Synapse accepts those silently.
    public init(_ raw: String) throws(URLMappingError) {
        if raw.isEmpty { throw URLMappingError(mapping: raw, reason: "empty url-mapping") }
        if raw.hasPrefix("*.") {
            let ext = String(raw.dropFirst(2))
            if ext.isEmpty { throw URLMappingError(mapping: raw, reason: "extension mapping must look like '*.ext'") }
            self = .pathExtension(ext)
            return
        }
        if !raw.hasPrefix("/") {
            throw URLMappingError(mapping: raw, reason: "must start with '/' (or be '*.ext'); it could never match")
        }
        if raw.hasSuffix("/*") {
            self = .prefix(String(raw.dropLast(2)))
        } else if raw.count > 1 && raw.hasSuffix("/") {
            self = .exact(String(raw.dropLast()))
        } else {
            self = .exact(raw)
        }
    }

    /// The mapping as it is written in XML.
    public var description: String {
        switch self {
        case .exact(let path): path
        case .prefix(let prefix): prefix + "/*"
        case .pathExtension(let ext): "*." + ext
        }
    }
}

/// A `url-mapping` that cannot be used.
public struct URLMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var mapping: String
    public var reason: String

    public var description: String { "invalid url-mapping '\(mapping)': \(reason)" }
}
