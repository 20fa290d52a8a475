/// Where a piece of an artifact was read from: file, line and column (both 1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `path:line:column`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }

    /// Same file, line and column (the same as `==`; kept for readability at call sites).
    public func isSamePlace(as other: SourceLocation) -> Bool { self == other }
}

/// Keeps a value next to an artifact without letting it take part in the artifact's equality or hash.
///
/// Artifact values carry their `SourceLocation` for diagnostics only: an API parsed from a file equals the same API
/// built in code or re-parsed from its serialized form, wherever (and whether) it was read.
@propertyWrapper
public struct DiagnosticOnly<Value: Sendable>: Sendable, Hashable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
