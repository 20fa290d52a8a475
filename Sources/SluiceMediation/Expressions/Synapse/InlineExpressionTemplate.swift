/// Text with `${...}` Synapse Expressions in it (the log mediator's `<message>`), split once at deploy time.
///
/// Placeholders are found as Synapse's `InlineExpressionUtil` finds them: `${`, then everything up to the first
/// `}` (at least one character). Each is replaced by the expression's text value, empty when it has none.
struct InlineExpressionTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case text(String)
        case expression(CompiledSynapseExpression)
    }

    let segments: [Segment]
    let readsBody: Bool

    /// An error in one placeholder: the syntax error and the column of the placeholder's `${` in the template.
    struct PlaceholderError: Error, Sendable {
        let placeholder: String
        let error: SynapseExpressionSyntaxError
        /// 1-based column of the failing character within the template text (counting every character).
        let column: Int

        var description: String {
            "invalid Synapse expression '${\(placeholder)}': \(error.reason) at column \(column) of the template"
        }
    }

    /// Splits and compiles a template.
    /// - Throws: `PlaceholderError` for the first placeholder that does not parse.
    init(_ template: String, namespaces: [String: String] = [:]) throws(PlaceholderError) {
        var segments: [Segment] = []
        var rest = Substring(template)
        var literal = ""
        while let start = rest.firstRange(of: "${") {
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.dropFirst().firstIndex(of: "}") else { break }
            let inner = String(afterOpen[afterOpen.startIndex..<close])
            literal += rest[rest.startIndex..<start.lowerBound]
            do {
                let compiled = try CompiledSynapseExpression(inner, namespaces: namespaces)
                if !literal.isEmpty { segments.append(.text(literal)) }
                literal = ""
                segments.append(.expression(compiled))
            } catch {
                let offset = template.distance(from: template.startIndex, to: start.lowerBound)
                throw PlaceholderError(placeholder: inner, error: error, column: offset + 2 + error.column)
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { segments.append(.text(literal)) }
        self.segments = segments
        readsBody = segments.contains {
            if case .expression(let expression) = $0 { return expression.readsBody }
            return false
        }
    }

    /// The text with every placeholder replaced by its value.
    func render(_ context: inout MessageContext) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let text): output += text
            case .expression(let expression): output += expression.string(&context)
            }
        }
        return output
    }
}
