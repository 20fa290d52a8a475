/// An element of a parsed XML document, copied out of libxml2 into plain values.
///
/// The artifact and mediator readers work on this tree only, so libxml2 stays confined to this module (and the
/// mediation XPath engine, which works on libxml2 documents this module parsed).
package struct XMLElementNode: Sendable {
    package var localName: String
    package var prefix: String?
    package var namespaceURI: String?
    package var attributes: [XMLAttributeNode]
    /// `xmlns` / `xmlns:p` declarations written on this element, in document order.
    package var namespaceDeclarations: [XMLNamespaceDeclaration]
    /// Every prefix bound where this element stands (the empty string is the default namespace).
    package var inScopeNamespaces: [String: String]
    package var children: [XMLContentNode]
    /// Where the start tag's `<` is (1-based).
    package var line: Int
    package var column: Int

    package init(
        localName: String,
        prefix: String? = nil,
        namespaceURI: String? = nil,
        attributes: [XMLAttributeNode] = [],
        namespaceDeclarations: [XMLNamespaceDeclaration] = [],
        inScopeNamespaces: [String: String] = [:],
        children: [XMLContentNode] = [],
        line: Int = 1,
        column: Int = 1
    ) {
        self.localName = localName
        self.prefix = prefix
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.inScopeNamespaces = inScopeNamespaces
        self.children = children
        self.line = line
        self.column = column
    }

    /// `prefix:localName` as written.
    package var qualifiedName: String {
        if let prefix, !prefix.isEmpty { return prefix + ":" + localName }
        return localName
    }

    /// The value of the unprefixed attribute `name`.
    package func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.localName == name && $0.namespaceURI == nil })?.value
    }

    /// Child elements in document order.
    package var childElements: [XMLElementNode] {
        children.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// The concatenated text and CDATA content of direct children.
    package var textContent: String {
        children.reduce(into: "") { text, child in
            if case .text(let value) = child { text += value }
        }
    }

    /// Whether the element holds any text that is not whitespace.
    package var hasNonWhitespaceText: Bool {
        children.contains { child in
            if case .text(let value) = child { return value.contains { !$0.isWhitespace } }
            return false
        }
    }
}

/// An attribute of an `XMLElementNode`.
package struct XMLAttributeNode: Sendable {
    package var localName: String
    package var prefix: String?
    package var namespaceURI: String?
    package var value: String

    package init(localName: String, prefix: String? = nil, namespaceURI: String? = nil, value: String) {
        self.localName = localName
        self.prefix = prefix
        self.namespaceURI = namespaceURI
        self.value = value
    }

    package var qualifiedName: String {
        if let prefix, !prefix.isEmpty { return prefix + ":" + localName }
        return localName
    }
}

/// `xmlns="uri"` (prefix nil) or `xmlns:prefix="uri"`.
package struct XMLNamespaceDeclaration: Sendable, Hashable {
    package var prefix: String?
    package var uri: String

    package init(prefix: String?, uri: String) {
        self.prefix = prefix
        self.uri = uri
    }
}

/// The content of an element.
package enum XMLContentNode: Sendable {
    case element(XMLElementNode)
    /// Text, with CDATA sections merged in.
    case text(String)
    case comment(String)
}
