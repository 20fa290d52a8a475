import SluiceArtifacts

/// An XML source as numbered lines, with the lines a diagnostic points at marked, and the diagnostics with an
/// excerpt of their line and a caret under the column: what the source pages show next to the editor.
struct SourceListing {
    struct Line {
        var number: Int
        var text: String
        var isError: Bool
    }

    struct Diagnostic {
        var line: Int
        var column: Int
        var message: String
        /// The source line the diagnostic points at (empty when out of range).
        var excerpt: String
        var hasExcerpt: Bool
        /// Spaces up to the column, then `^`.
        var caret: String
        var anchor: String
    }

    var lines: [Line]
    var diagnostics: [Diagnostic]
    var hasDiagnostics: Bool

    /// The listing of `source` with `problems` marked.
    init(source: String, problems: [APISourceError.Problem] = []) {
        let texts = source.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        let marked = Set(problems.map(\.line))
        lines = texts.enumerated().map {
            Line(number: $0.offset + 1, text: $0.element, isError: marked.contains($0.offset + 1))
        }
        diagnostics = problems.map { problem in
            let excerpt = texts.indices.contains(problem.line - 1) ? texts[problem.line - 1] : ""
            // Tabs keep their width in the excerpt, so the caret copies them.
            let prefix = excerpt.prefix(max(problem.column - 1, 0)).map { $0 == "\t" ? "\t" : " " }.joined()
            return Diagnostic(
                line: problem.line,
                column: problem.column,
                message: problem.message,
                excerpt: excerpt,
                hasExcerpt: !excerpt.allSatisfy(\.isWhitespace),
                caret: prefix + "^",
                anchor: "L\(problem.line)"
            )
        }
        hasDiagnostics = !diagnostics.isEmpty
    }
}
