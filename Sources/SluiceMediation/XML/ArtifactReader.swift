package import SluiceModel
package import SluiceXML

/// Builds the artifact model from a parsed document and collects every diagnostic on the way.
///
/// One reader serves one parse; it is not shared between threads. The artifact-level readers (`<api>`,
/// `<sequence>`, `<definitions>`...) extend it in SluiceSynapse; mediators and endpoints are read here.
package final class ArtifactReader {
    /// The Synapse configuration namespace every artifact element lives in.
    package static let synapseNamespace = "http://ws.apache.org/ns/synapse"
    /// The methods a resource or an `<http>` endpoint may name.
    package static let httpMethods: Set<String> = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]

    package let fileName: String
    package private(set) var diagnostics: [SynapseDiagnostic] = []
    /// What Synapse reads past without complaint and the file deploys without: stray text, elements a factory does
    /// not look at. Shown as deployment warnings and by `sluice validate`.
    package private(set) var warnings: [SynapseDiagnostic] = []

    /// The documents the deployer fetched for this file (`<localEntry src="http...">`); nil where nothing is
    /// fetched (a source naming one is then refused).
    package let networkSources: (any NetworkSources)?

    package init(fileName: String, networkSources: (any NetworkSources)? = nil) {
        self.fileName = fileName
        self.networkSources = networkSources
    }

    // MARK: - Diagnostics

    package func location(of element: XMLElementNode) -> SourceLocation {
        SourceLocation(file: fileName, line: max(element.line, 1), column: max(element.column, 1))
    }

    package func report(_ message: String, at element: XMLElementNode) {
        diagnostics.append(SynapseDiagnostic(message: message, location: location(of: element)))
    }

    package func warn(_ message: String, at element: XMLElementNode) {
        warnings.append(SynapseDiagnostic(message: message, location: location(of: element)))
    }

    // MARK: - Attributes

    /// The attribute's value, or nil after reporting "missing required attribute".
    package func required(_ name: String, of element: XMLElementNode) -> String? {
        guard let value = element.attribute(name) else {
            report("missing required attribute '\(name)' on <\(element.localName)>", at: element)
            return nil
        }
        if value.allSatisfy(\.isWhitespace) {
            report("attribute '\(name)' on <\(element.localName)> must not be empty", at: element)
            return nil
        }
        return value
    }

    /// `attribute="true"|"false"` (also `enable`/`disable`), or `defaultValue` when absent.
    package func flag(_ name: String, of element: XMLElementNode, default defaultValue: Bool) -> Bool {
        guard let raw = element.attribute(name) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "enable": return true
        case "false", "disable": return false
        default:
            report("attribute '\(name)' on <\(element.localName)> must be true or false, not '\(raw)'", at: element)
            return defaultValue
        }
    }

    /// An enumerated attribute; reports the allowed values when the text is not one of them.
    package func enumeration<Value: RawRepresentable & CaseIterable>(
        _ name: String,
        of element: XMLElementNode,
        as type: Value.Type,
        caseInsensitive: Bool = false
    ) -> Value? where Value.RawValue == String {
        guard let raw = element.attribute(name) else { return nil }
        let match = Value.allCases.first { candidate in
            caseInsensitive ? candidate.rawValue.lowercased() == raw.lowercased() : candidate.rawValue == raw
        }
        guard let match else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            report("invalid \(name) '\(raw)' on <\(element.localName)>: expected one of \(allowed)", at: element)
            return nil
        }
        return match
    }

    /// An integer attribute or element text.
    package func integer<Number: FixedWidthInteger>(
        _ text: String,
        named name: String,
        in element: XMLElementNode
    ) -> Number? {
        guard let value = Number(text.trimmingSpaces()) else {
            report("'\(name)' must be an integer, not '\(text)'", at: element)
            return nil
        }
        return value
    }

    // MARK: - Expressions

    /// Parses an expression attribute with the namespace prefixes it uses.
    package func expression(_ text: String, attribute: String, of element: XMLElementNode) -> SynapseExpression? {
        let parsed: SynapseExpression
        do {
            parsed = try SynapseExpression(parsing: text, namespaces: Self.usedNamespaces(in: text, element: element))
        } catch {
            report("\(error) in attribute '\(attribute)' of <\(element.localName)>", at: element)
            return nil
        }
        if case .synapse(let inner) = parsed.kind {
            do {
                _ = try CompiledSynapseExpression(inner)
            } catch {
                report(
                    "invalid Synapse expression '\(text)' in attribute '\(attribute)' of <\(element.localName)>: "
                        + CompiledExpression.describe(error, in: text),
                    at: element
                )
                return nil
            }
        }
        return parsed
    }

    /// What `value=` / `expression=` held.
    package enum ValueRead {
        case value(ValueSource)
        /// Neither attribute (already reported unless allowed).
        case absent
        /// Both, or a broken expression (already reported).
        case invalid
    }

    /// `value=` or `expression=`: exactly one of them; neither is reported unless `optional`.
    package func valueSource(of element: XMLElementNode, optional: Bool, owner: String) -> ValueRead {
        switch (element.attribute("value"), element.attribute("expression")) {
        case (let value?, nil):
            return .value(.literal(value))
        case (nil, let text?):
            guard let parsed = expression(text, attribute: "expression", of: element) else { return .invalid }
            return .value(.expression(parsed))
        case (.some, .some):
            report("\(owner) has both 'value' and 'expression'; use one", at: element)
            return .invalid
        case (nil, nil):
            if !optional { report("\(owner) needs a 'value' or an 'expression' attribute", at: element) }
            return .absent
        }
    }

    // Only prefixes the expression mentions are kept, so the model does not depend on unrelated declarations
    // and a serialized expression re-parses to an equal one.
    package static func usedNamespaces(in text: String, element: XMLElementNode) -> [String: String] {
        var used: [String: String] = [:]
        for (prefix, uri) in element.inScopeNamespaces where !prefix.isEmpty && prefix != "xml" {
            if text.mentionsPrefix(prefix) { used[prefix] = uri }
        }
        return used
    }

    // MARK: - Structure

    /// Whether the element is a Synapse element called `name`.
    package func isSynapse(_ element: XMLElementNode, named name: String) -> Bool {
        element.localName == name && element.namespaceURI == Self.synapseNamespace
    }

    /// Warns of non-whitespace text directly inside an element that holds only elements: Synapse's factories read
    /// elements by name (or every child element as a mediator) and never look at text there, so it deploys.
    package func ignoreText(in element: XMLElementNode) {
        if element.hasNonWhitespaceText {
            warn("text inside <\(element.localName)> is ignored, as Synapse ignores it", at: element)
        }
    }

    /// Reports every child element outside the allowed set.
    package func rejectChildren(of element: XMLElementNode, except allowed: Set<String> = []) {
        for child in element.childElements where !(allowed.contains(child.localName) && isSynapseNamespace(child)) {
            reportUnknown(child, in: element)
        }
    }

    package func reportUnknown(_ child: XMLElementNode, in parent: XMLElementNode) {
        report("unknown element '<\(child.qualifiedName)>' in <\(parent.localName)>", at: child)
    }

    /// Warns of a child element that Synapse's factory for `parent` does not look at (it reads its children by
    /// name), so the artifact deploys without it.
    package func ignoreUnknown(_ child: XMLElementNode, in parent: XMLElementNode) {
        warn("element '<\(child.qualifiedName)>' in <\(parent.localName)> is ignored, as Synapse ignores it", at: child)
    }

    /// Whether `child` of `parent` is in the Synapse namespace; a child that is not is reported as unknown.
    package func isSynapseChild(_ child: XMLElementNode, of parent: XMLElementNode) -> Bool {
        if isSynapseNamespace(child) { return true }
        reportUnknown(child, in: parent)
        return false
    }

    package func isSynapseNamespace(_ element: XMLElementNode) -> Bool {
        element.namespaceURI == Self.synapseNamespace
    }
}

extension String {
    /// Whether `prefix:` appears as a qualified-name prefix (not inside a longer name, not an `axis::`).
    package func mentionsPrefix(_ prefix: String) -> Bool {
        let characters = Array(self)
        let target = Array(prefix)
        guard characters.count > target.count else { return false }
        var index = 0
        while index + target.count < characters.count {
            if characters[index..<(index + target.count)].elementsEqual(target),
                characters[index + target.count] == ":",
                index == 0 || !characters[index - 1].isXMLNameCharacter,
                index + target.count + 1 >= characters.count || characters[index + target.count + 1] != ":"
            {
                return true
            }
            index += 1
        }
        return false
    }

    package func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}

extension Character {
    package var isXMLNameCharacter: Bool { isLetter || isNumber || self == "_" || self == "-" || self == "." }
}
