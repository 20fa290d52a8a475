import SluiceModel

/// Why a hand-edited API source was refused: every problem with its line and column, for showing next to the
/// editor.
package struct APISourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem of the source.
    package struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// 1-based line in the edited text.
        package var line: Int
        /// 1-based column in the edited text.
        package var column: Int
        /// What is wrong.
        package var message: String

        /// Creates a problem.
        package init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        /// `line L, column C: message`.
        package var description: String { "line \(line), column \(column): \(message)" }
    }

    /// The problems in document order.
    package var problems: [Problem]

    /// Creates an error.
    package init(problems: [Problem]) {
        self.problems = problems
    }

    /// One problem per line.
    package var description: String { problems.map(\.description).joined(separator: "\n") }
}
