/// Identity settings a key manager refuses to start with (see `IdentitySettings.problems`).
public struct KeyManagerConfigurationError: Error, CustomStringConvertible, Sendable, Hashable {
    /// Each problem, in identity.xml's element names.
    public var problems: [String]

    /// Creates the error.
    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String { "identity.xml: " + problems.joined(separator: "; ") }
}
