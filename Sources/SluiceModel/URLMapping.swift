/// A servlet-style resource `url-mapping`.
public enum URLMapping: Sendable, Hashable, CustomStringConvertible {
    /// `/menu`: the sub-path must be exactly this.
    case exact(String)
    /// `/items/*` (stored as `/items`) or `/*` (stored as the empty string): this path or anything below it.
    case prefix(String)
    /// `*.json` (stored as `json`): any path ending in this extension.
    case pathExtension(String)

    /// Reads a mapping as Synapse's `URLMappingHelper` does.
    /// - Throws: `URLMappingError` for an empty mapping or a misplaced `*`.
    public init(_ raw: String) throws(URLMappingError) {
        if raw.isEmpty { throw URLMappingError(mapping: raw, reason: "empty url-mapping") }
        if raw.hasPrefix("*.") {
            let ext = String(raw.dropFirst(2))
            if ext.isEmpty || ext.contains("/") || ext.contains("*") {
                throw URLMappingError(mapping: raw, reason: "extension mapping must look like '*.ext'")
            }
            self = .pathExtension(ext)
        } else if raw == "/*" {
            self = .prefix("")
        } else if raw.hasSuffix("/*") {
            let prefix = String(raw.dropLast(2))
            if prefix.contains("*") || !prefix.hasPrefix("/") {
                throw URLMappingError(mapping: raw, reason: "prefix mapping must look like '/path/*'")
            }
            self = .prefix(prefix)
        } else {
            if raw.contains("*") {
                throw URLMappingError(mapping: raw, reason: "'*' is allowed only as '/*' suffix or '*.' prefix")
            }
            if !raw.hasPrefix("/") { throw URLMappingError(mapping: raw, reason: "must start with '/'") }
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
