/// Everything wrong with an API definition; the management API answers it with HTTP 400.
public struct APIValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems in the order they were found.
    public var issues: [Issue]

    /// Creates an error from at least one issue.
    public init(issues: [Issue]) {
        self.issues = issues
    }

    /// One problem: the DTO field it concerns (`operations[2].verb`) and what is wrong with it.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// The JSON path of the offending field, as a client sent it.
        public var field: String
        /// What is wrong, in a sentence a person can act on.
        public var message: String

        /// Creates an issue.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }

        /// `field: message`.
        public var description: String { "\(field): \(message)" }
    }

    /// One issue per line.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }

    /// Whether an issue concerns `field`.
    public func hasIssue(for field: String) -> Bool {
        issues.contains { $0.field == field }
    }
}
