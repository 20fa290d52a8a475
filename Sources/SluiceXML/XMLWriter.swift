/// Writes pretty-printed XML (4-space indentation) with proper escaping and namespace bookkeeping.
///
/// Attributes whose value is nil are left out, which is how serializers omit defaults.
package final class XMLWriter {
    private var lines: [String] = []
    private var depth = 0
    /// Namespace bindings declared by the elements currently open, innermost last.
    private var scopes: [[String: String]] = [[:]]

    /// The document written so far, ending with a newline.
    package var xml: String { lines.joined(separator: "\n") + "\n" }

    package init() {}

    /// Writes an element; `content` writes its children. An element without children is written self-closed.
    package func element(
        _ name: String,
        _ attributes: KeyValuePairs<String, String?> = [:],
        namespaces: [String: String] = [:],
        content: () -> Void = {}
    ) {
        let declarations = newDeclarations(namespaces)
        let start = "<" + name + Self.declarationText(declarations) + Self.attributeText(attributes)
        lines.append(indentation + start + ">")
        let openLine = lines.count - 1
        depth += 1
        scopes.append(scopes[scopes.count - 1].merging(declarations, uniquingKeysWith: { _, new in new }))
        content()
        scopes.removeLast()
        depth -= 1
        if lines.count - 1 == openLine {
            lines[openLine] = indentation + start + "/>"
        } else {
            lines.append(indentation + "</" + name + ">")
        }
    }

    /// Writes `<name>text</name>` on one line.
    package func textElement(_ name: String, _ text: String) {
        lines.append(indentation + "<" + name + ">" + XMLEscaping.text(text) + "</" + name + ">")
    }

    /// Writes `<name attributes>text</name>` on one line, declaring `namespaces` on it.
    package func textElement(
        _ name: String,
        _ attributes: KeyValuePairs<String, String?>,
        _ text: String,
        namespaces: [String: String] = [:]
    ) {
        let declarations = newDeclarations(namespaces)
        lines.append(
            indentation + "<" + name + Self.declarationText(declarations) + Self.attributeText(attributes) + ">"
                + XMLEscaping.text(text) + "</" + name + ">"
        )
    }

    /// Writes already-escaped text or markup as a line of its own, kept exactly.
    package func rawText(_ raw: String) {
        lines.append(indentation + raw)
    }

    /// Writes `<name attributes>raw</name>` where `raw` is already XML (kept exactly, including its whitespace).
    package func rawElement(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], raw: String) {
        lines.append(indentation + "<" + name + Self.attributeText(attributes) + ">" + raw + "</" + name + ">")
    }

    /// Writes a comment line.
    package func comment(_ text: String) {
        lines.append(indentation + "<!-- " + text.replacing("--", with: "- -") + " -->")
    }

    // MARK: - Text

    private var indentation: String { String(repeating: "    ", count: depth) }

    private func newDeclarations(_ namespaces: [String: String]) -> [String: String] {
        let current = scopes[scopes.count - 1]
        return namespaces.filter { prefix, uri in current[prefix] != uri }
    }

    private static func declarationText(_ declarations: [String: String]) -> String {
        declarations.sorted(by: { $0.key < $1.key }).reduce(into: "") { text, declaration in
            let name = declaration.key.isEmpty ? "xmlns" : "xmlns:" + declaration.key
            text += " " + name + "=\"" + XMLEscaping.attribute(declaration.value) + "\""
        }
    }

    private static func attributeText(_ attributes: KeyValuePairs<String, String?>) -> String {
        attributes.reduce(into: "") { text, attribute in
            guard let value = attribute.value else { return }
            text += " " + attribute.key + "=\"" + XMLEscaping.attribute(value) + "\""
        }
    }
}
