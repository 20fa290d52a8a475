/// Serializes an element subtree as standalone XML: every namespace the subtree uses is declared inside it.
///
/// Used for inline content the model keeps as text (payloadFactory formats, enrich inline sources). The output
/// re-parses to a subtree that serializes to the same text, so artifacts round-trip.
package enum XMLFragmentWriter {
    package static func string(for element: XMLElementNode) -> String {
        var output = ""
        write(element, declared: ["xml": "http://www.w3.org/XML/1998/namespace"], into: &output)
        return output
    }

    private static func write(
        _ element: XMLElementNode,
        declared inherited: [String: String],
        into output: inout String
    ) {
        var declared = inherited
        var declarations: [XMLNamespaceDeclaration] = []
        func declare(_ prefix: String?, _ uri: String) {
            let key = prefix ?? ""
            guard declared[key] != uri else { return }
            declared[key] = uri
            declarations.append(XMLNamespaceDeclaration(prefix: prefix, uri: uri))
        }
        for declaration in element.namespaceDeclarations {
            declare(declaration.prefix, declaration.uri)
        }
        // Namespaces inherited from outside the fragment are declared on the element that needs them.
        let elementPrefix = element.prefix.flatMap { $0.isEmpty ? nil : $0 }
        if let elementPrefix {
            declare(elementPrefix, element.namespaceURI ?? "")
        } else if (declared[""] ?? "") != (element.namespaceURI ?? "") {
            declare(nil, element.namespaceURI ?? "")
        }
        for attribute in element.attributes {
            if let prefix = attribute.prefix, !prefix.isEmpty, let uri = attribute.namespaceURI {
                declare(prefix, uri)
            }
        }

        output += "<" + element.qualifiedName
        for declaration in declarations {
            let name = declaration.prefix.map { "xmlns:" + $0 } ?? "xmlns"
            output += " " + name + "=\"" + XMLEscaping.attribute(declaration.uri) + "\""
        }
        for attribute in element.attributes {
            output += " " + attribute.qualifiedName + "=\"" + XMLEscaping.attribute(attribute.value) + "\""
        }
        if element.children.isEmpty {
            output += "/>"
            return
        }
        output += ">"
        for child in element.children {
            switch child {
            case .element(let nested): write(nested, declared: declared, into: &output)
            case .text(let text): output += XMLEscaping.text(text)
            case .comment(let text): output += "<!--" + text + "-->"
            }
        }
        output += "</" + element.qualifiedName + ">"
    }
}
