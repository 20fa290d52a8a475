/// An element of a parsed XML document, copied out of libxml2 into plain values.
///
/// The artifact readers work on this tree only, so libxml2 stays confined to `XMLDocumentParser`.
struct XMLElementNode: Sendable {
    var localName: String
    var prefix: String?
    var namespaceURI: String?
    var attributes: [XMLAttributeNode]
    /// `xmlns` / `xmlns:p` declarations written on this element, in document order.
    var namespaceDeclarations: [XMLNamespaceDeclaration]
    /// Every prefix bound where this element stands (the empty string is the default namespace).
    var inScopeNamespaces: [String: String]
    var children: [XMLContentNode]
    /// Where the start tag's `<` is (1-based).
    var line: Int
    var column: Int

    /// `prefix:localName` as written.
    var qualifiedName: String {
        if let prefix, !prefix.isEmpty { return prefix + ":" + localName }
        return localName
    }

    /// The value of the unprefixed attribute `name`.
    func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.localName == name && $0.namespaceURI == nil })?.value
    }

    /// Child elements in document order.
    var childElements: [XMLElementNode] {
        children.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// The concatenated text and CDATA content of direct children.
    var textContent: String {
        children.reduce(into: "") { text, child in
            if case .text(let value) = child { text += value }
        }
    }

    /// Whether the element holds any text that is not whitespace.
    var hasNonWhitespaceText: Bool {
        children.contains { child in
            if case .text(let value) = child { return value.contains { !$0.isWhitespace } }
            return false
        }
    }
}

/// An attribute of an `XMLElementNode`.
struct XMLAttributeNode: Sendable {
    var localName: String
    var prefix: String?
    var namespaceURI: String?
    var value: String

    var qualifiedName: String {
        if let prefix, !prefix.isEmpty { return prefix + ":" + localName }
        return localName
    }
}

/// `xmlns="uri"` (prefix nil) or `xmlns:prefix="uri"`.
struct XMLNamespaceDeclaration: Sendable, Hashable {
    var prefix: String?
    var uri: String
}

/// The content of an element.
enum XMLContentNode: Sendable {
    case element(XMLElementNode)
    /// Text, with CDATA sections merged in.
    case text(String)
    case comment(String)
}
