/// One problem found in an artifact or configuration file, with the place it was found.
public struct SynapseDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in a sentence a person can act on.
    public var message: String
    /// File, line and column (1-based).
    public var location: SourceLocation

    /// Creates a diagnostic.
    /// - Parameters:
    ///   - message: What is wrong.
    ///   - location: Where it was found.
    public init(message: String, location: SourceLocation) {
        self.message = message
        self.location = location
    }

    /// `path:line:column: message`, the form compilers and editors understand.
    public var description: String { "\(location): \(message)" }

    // SourceLocation's own `==` ignores the place on purpose (artifact equality); a diagnostic is about the place.
    public static func == (lhs: SynapseDiagnostic, rhs: SynapseDiagnostic) -> Bool {
        lhs.message == rhs.message && lhs.location.isSamePlace(as: rhs.location)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(message)
        hasher.combine(location.file)
        hasher.combine(location.line)
        hasher.combine(location.column)
    }
}

/// Every diagnostic found in one file; thrown when there is at least one.
public struct SynapseDiagnostics: Error, Sendable, CustomStringConvertible {
    /// The diagnostics in the order they were found (document order).
    public var diagnostics: [SynapseDiagnostic]

    /// Creates a collection of diagnostics.
    public init(_ diagnostics: [SynapseDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// A single diagnostic.
    public init(message: String, location: SourceLocation) {
        self.diagnostics = [SynapseDiagnostic(message: message, location: location)]
    }

    /// One diagnostic per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
