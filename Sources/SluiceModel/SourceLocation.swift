/// Where a piece of an artifact was read from: file, line and column (both 1-based).
///
/// Locations serve diagnostics only. They never take part in equality or hashing, so an artifact parsed from a
/// file equals the same artifact re-parsed from its serialized form.
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

    // Locations are metadata: two artifacts read from different places are still the same artifact.
    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}

    /// Compares the file, line and column, which `==` deliberately ignores.
    public func isSamePlace(as other: SourceLocation) -> Bool {
        file == other.file && line == other.line && column == other.column
    }
}
