/// An API's identity as subscriptions and key validation see it: context and version.
///
/// Deployed artifacts carry the version in their context (`/pizzashack/1.0.0`) while the publisher keeps it
/// apart (`/pizzashack` + `1.0.0`); both spellings, and `{version}` templates, name the same key.
public struct APIKey: Sendable, Hashable {
    /// The context without a trailing version segment or `{version}`, starting with `/`, no trailing `/`.
    public let context: String
    /// The API version.
    public let version: String

    /// Normalizes a context and version.
    /// - Parameters:
    ///   - context: The context in any of the spellings above.
    ///   - version: The API version.
    public init(context: String, version: String) {
        // The gateway builds a key on every call from an already normal context: skip the split and join then.
        if let normal = Self.normalizedWithoutSplitting(context: context, version: version) {
            self.context = normal
            self.version = version
            return
        }
        var segments = context.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        segments.removeAll { $0 == "{version}" }
        if let last = segments.last, last == version, !version.isEmpty {
            segments.removeLast()
        }
        self.context = "/" + segments.joined(separator: "/")
        self.version = version
    }

    /// The normalized context when `context` is `/a/b[/version]` with no empty segment, no trailing `/` and no
    /// `{`; nil for anything else (the general path handles it).
    static func normalizedWithoutSplitting(context: String, version: String) -> String? {
        let bytes = context.utf8
        guard bytes.first == UInt8(ascii: "/"), bytes.count > 1, bytes.last != UInt8(ascii: "/") else { return nil }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "{") || (byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/")) { return nil }
            previous = byte
        }
        let suffixLength = version.utf8.count + 1
        guard !version.isEmpty, bytes.count > suffixLength,
            bytes.reversed().prefix(suffixLength).elementsEqual(("/" + version).utf8.reversed())
        else {
            // Not ending in the version (or the context is only the version): the context is already normal.
            return version.isEmpty || !context.hasSuffix("/" + version) ? context : nil
        }
        return String(context.dropLast(version.count + 1))
    }
}
