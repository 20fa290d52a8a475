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
        var segments = context.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        segments.removeAll { $0 == "{version}" }
        if let last = segments.last, last == version, !version.isEmpty {
            segments.removeLast()
        }
        self.context = "/" + segments.joined(separator: "/")
        self.version = version
    }
}
